import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { type CommitNowBody, CommitNowBodySchema, type SessionCommit } from '@ccr/protocol/agent';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { SessionCommitsService } from './session-commits.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionCommitsController {
  constructor(@Inject(SessionCommitsService) private readonly commits: SessionCommitsService) {}

  @Get(':id/commits')
  list(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SessionCommit[]> {
    return this.commits.list(user, id);
  }

  @Post(':id/commit')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(CommitNowBodySchema, { unrepresentable: 'any' }) as object })
  async commit(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(CommitNowBodySchema, { emptyAs: {} })) body: CommitNowBody,
  ): Promise<{
    commit: { sha: string; message: string; files: string[]; pushed: boolean } | null;
  }> {
    const result = await this.commits.commitNow(user, id, body.message);
    const last = result.commit;
    return {
      commit: last
        ? { sha: last.sha, message: last.message, files: last.files, pushed: last.pushed }
        : null,
    };
  }
}
