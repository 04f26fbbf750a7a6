// Readable generated names ("quiet-otter-42"): they become the work branch ccr/<name>, so they
// must match SESSION_NAME_PATTERN; uniqueness per user is enforced by the database.
import { randomInt } from 'node:crypto';

const adjectives = [
  'amber',
  'brave',
  'bright',
  'calm',
  'clever',
  'cosmic',
  'crisp',
  'eager',
  'fancy',
  'gentle',
  'golden',
  'happy',
  'jolly',
  'keen',
  'lively',
  'lucky',
  'mellow',
  'merry',
  'nimble',
  'noble',
  'proud',
  'quick',
  'quiet',
  'rapid',
  'silent',
  'smooth',
  'snowy',
  'sunny',
  'swift',
  'tidy',
  'vivid',
  'witty',
] as const;

const nouns = [
  'badger',
  'beacon',
  'cedar',
  'comet',
  'crane',
  'delta',
  'ember',
  'falcon',
  'fjord',
  'garnet',
  'harbor',
  'heron',
  'island',
  'lagoon',
  'lantern',
  'maple',
  'meadow',
  'nebula',
  'otter',
  'pebble',
  'pine',
  'quartz',
  'raven',
  'river',
  'summit',
  'thicket',
  'tundra',
  'valley',
  'willow',
  'wren',
  'yarrow',
  'zephyr',
] as const;

export function generateSessionName(random: (max: number) => number = randomInt): string {
  const adjective = adjectives[random(adjectives.length)]!;
  const noun = nouns[random(nouns.length)]!;
  return `${adjective}-${noun}-${random(100)}`;
}

export function workBranchFor(name: string): string {
  return `ccr/${name}`;
}
