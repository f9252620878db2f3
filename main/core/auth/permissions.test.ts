import { describe, expect, it } from 'vitest';
import { canCallTool, patternProblem, rolePermits, toolFilter, toolPermitted } from './permissions.js';
import type { Role } from './roles.js';

describe('toolPermitted', () => {
  const cases: [string, { allow?: string[]; deny?: string[] }, [string, string], boolean][] = [
    ['empty allow allows everything', {}, ['github', 'create_issue'], true],
    ['server glob', { allow: ['github__*'] }, ['github', 'create_issue'], true],
    ['server glob, other server', { allow: ['github__*'] }, ['gitlab', 'x'], false],
    ['no match across the separator', { allow: ['github__*'] }, ['github_x', 'y'], false],
    ['a server whose name contains __ is another server', { allow: ['github__*'] }, ['github__enterprise', 'x'], false],
    ['a tool whose name contains __', { allow: ['github__*'] }, ['github', 'a__b'], true],
    ['pattern for a server containing __', { allow: ['github__enterprise__*'] }, ['github__enterprise', 'x'], true],
    ['exact tool', { allow: ['github__list_issues'] }, ['github', 'list_issues'], true],
    ['exact tool, other tool', { allow: ['github__list_issues'] }, ['github', 'list_issues2'], false],
    ['tool glob on any server', { allow: ['*__read_*'] }, ['fs', 'read_file'], true],
    ['tool glob does not match a tool that only contains it', { allow: ['*__read_*'] }, ['fs', 'x__read_file'], false],
    ['tool glob on a server with __', { allow: ['*__read_*'] }, ['a__b', 'read_x'], true],
    ['? is one character', { allow: ['db?__*'] }, ['db1', 'q'], true],
    ['? is exactly one character', { allow: ['db?__*'] }, ['db12', 'q'], false],
    ['a pattern without __ names servers', { allow: ['github'] }, ['github', 'anything'], true],
    ['a server pattern does not match a longer server', { allow: ['github'] }, ['github_enterprise', 'x'], false],
    ['* alone is everything', { allow: ['*'] }, ['any', 'tool'], true],
    ['deny wins over allow', { allow: ['github__*'], deny: ['github__delete_*'] }, ['github', 'delete_repo'], false],
    ['deny leaves the rest', { allow: ['github__*'], deny: ['github__delete_*'] }, ['github', 'list_issues'], true],
    ['deny alone', { deny: ['*__write_*'] }, ['fs', 'write_file'], false],
    ['deny alone leaves the rest', { deny: ['*__write_*'] }, ['fs', 'read_file'], true],
    ['deny of a server', { deny: ['shell'] }, ['shell', 'exec'], false],
    ['several allows', { allow: ['github__*', 'fs__read_*'] }, ['fs', 'read_file'], true],
    ['regex characters are literal', { allow: ['my.server__*'] }, ['myXserver', 'x'], false],
    ['regex characters are literal, match', { allow: ['my.server__*'] }, ['my.server', 'x'], true],
    ['case matters', { allow: ['GitHub__*'] }, ['github', 'x'], false],
    ['three underscores split both ways', { allow: ['a___b'] }, ['a_', 'b'], true],
    ['three underscores, other reading', { allow: ['a___b'] }, ['a', '_b'], true],
  ];
  it.each(cases)('%s', (_, { allow = [], deny = [] }, [server, tool], expected) => {
    expect(toolPermitted({ allow, deny }, server, tool)).toBe(expected);
  });

  it('a key restricted to github__* sees and may call only github tools', () => {
    const key = { role: 'operator' as const, allow: ['github__*'], deny: [] };
    const tools = [
      ['github', 'create_issue'],
      ['github', 'list_issues'],
      ['gitlab', 'create_issue'],
      ['github_x', 'y'],
      ['github__enterprise', 'create_issue'],
      ['memory', 'read_graph'],
    ] as const;
    const visible = tools.filter(([server, tool]) => toolFilter(key)(server, tool));
    expect(visible).toEqual([
      ['github', 'create_issue'],
      ['github', 'list_issues'],
    ]);
    expect(canCallTool(key, 'memory', 'read_graph')).toBe(false);
    expect(canCallTool(key, 'github', 'list_issues')).toBe(true);
  });

  it('a viewer may call nothing, an operator and an admin what their patterns allow', () => {
    expect(canCallTool({ role: 'viewer', allow: [], deny: [] }, 'github', 'x')).toBe(false);
    expect(canCallTool({ role: 'operator', allow: [], deny: [] }, 'github', 'x')).toBe(true);
    expect(canCallTool({ role: 'admin', allow: ['fs__*'], deny: [] }, 'github', 'x')).toBe(false);
  });

  it('validates patterns', () => {
    expect(patternProblem('github__*')).toBeUndefined();
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('a b')).toMatch(/whitespace/);
    expect(patternProblem('x'.repeat(300))).toMatch(/longer than 256/);
  });
});

describe('rolePermits', () => {
  const table: [Role, Record<Role, boolean>][] = [
    ['admin', { viewer: true, operator: true, admin: true }],
    ['operator', { viewer: true, operator: true, admin: false }],
    ['viewer', { viewer: true, operator: false, admin: false }],
  ];
  it.each(table)('%s', (role, needs) => {
    for (const [need, expected] of Object.entries(needs)) expect(rolePermits(role, need as Role), need).toBe(expected);
  });
});
