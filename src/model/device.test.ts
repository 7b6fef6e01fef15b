import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, isProfile, profileOf, PROFILES } from './device.js';

describe('profileOf', () => {
  it('takes the run override first, then the header, then the default (docs)', () => {
    expect(DEFAULT_PROFILE).toBe('docs');
    expect(profileOf(undefined)).toBe('docs');
    expect(profileOf({})).toBe('docs');
    expect(profileOf({ profile: undefined })).toBe('docs');
    expect(profileOf({ profile: 'reactos' })).toBe('reactos');
    expect(profileOf({ profile: 'reactos' }, 'docs')).toBe('docs');
    expect(profileOf({ profile: 'docs' }, 'reactos')).toBe('reactos');
    expect(profileOf(undefined, 'reactos')).toBe('reactos');
  });

  it('isProfile accepts exactly PROFILES', () => {
    expect(PROFILES.every(isProfile)).toBe(true);
    for (const text of ['', 'DOCS', 'react', 'per trace header'])
      expect(isProfile(text)).toBe(false);
  });
});
