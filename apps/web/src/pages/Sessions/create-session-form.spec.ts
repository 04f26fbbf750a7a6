import { branchNameProblem, repoUrlProblem } from '@ccr/protocol/git-refs';
import { describe, expect, it } from 'vitest';
import { strings } from '../../strings';
import { buildCreateBody, emptyForm } from './create-session-form';

describe('buildCreateBody', () => {
  it('leaves empty fields out so the server applies its defaults', () => {
    expect(buildCreateBody(emptyForm)).toEqual({ body: {}, errors: null });
  });

  it('builds a full body with numbers for resources', () => {
    const result = buildCreateBody({
      name: ' my-feature ',
      repoUrl: 'https://git.example.com/team/app.git',
      branch: 'main',
      'resources.memoryMb': '1024',
      'resources.cpus': '1.5',
    });
    expect(result).toEqual({
      body: {
        name: 'my-feature',
        repoUrl: 'https://git.example.com/team/app.git',
        branch: 'main',
        resources: { memoryMb: 1024, cpus: 1.5 },
      },
      errors: null,
    });
  });

  it('reports each bad field with the protocol schema message', () => {
    const result = buildCreateBody({
      name: 'Bad Name',
      repoUrl: 'ext::sh -c touch% /tmp/pwned',
      branch: 'a..b',
      'resources.memoryMb': 'lots',
      'resources.cpus': '-1',
    });
    expect(result.body).toBeNull();
    expect(result.errors).toEqual({
      name: expect.stringMatching(/lowercase/),
      repoUrl: repoUrlProblem('ext::sh -c touch% /tmp/pwned'),
      branch: branchNameProblem('a..b'),
      'resources.memoryMb': strings.create.mustBeNumber,
      'resources.cpus': expect.any(String),
    });
  });
});
