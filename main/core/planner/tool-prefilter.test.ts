import { describe, expect, it } from 'vitest';
import { Bm25Index, tokenize } from './bm25.js';
import { selectTools } from './tool-prefilter.js';

describe('tokenize', () => {
  it('splits tool names and folds plurals', () => {
    expect(tokenize('github__list_pull_requests')).toEqual(['github', 'list', 'pull', 'request']);
    expect(tokenize('listOpenIssues of the repo')).toEqual(['list', 'open', 'issue', 'repo']);
  });
});

describe('Bm25Index', () => {
  it('ranks the document with rarer matching terms first', () => {
    const index = new Bm25Index([tokenize('list issues'), tokenize('list pages'), tokenize('create page')]);
    const [issues, pages, create] = index.scores(tokenize('list the issues'));
    expect(issues).toBeGreaterThan(pages!);
    expect(pages).toBeGreaterThan(0);
    expect(create).toBe(0);
  });
});

describe('selectTools', () => {
  const tools = [
    ...Array.from({ length: 30 }, (_, i) => ({ name: `files__op_${i}`, description: 'Reads or writes files on disk' })),
    { name: 'slack__post_message', plainName: 'post_message', description: 'Post a message to a channel' },
    { name: 'github__list_issues', plainName: 'list_issues', description: 'List the issues of a repository' },
    { name: 'notion__search', plainName: 'search', description: 'Search pages' },
  ];

  it('sends every tool when there are few', () => {
    expect(selectTools('anything', tools, 100)).toHaveLength(tools.length);
  });

  it('keeps the most relevant tools and the ones the request names, in catalog order', () => {
    const chosen = selectTools('post the open issues to slack; use search', tools, 3);
    expect(chosen.map((tool) => tool.name)).toEqual(['slack__post_message', 'github__list_issues', 'notion__search']);
  });

  it('goes past the limit rather than drop a tool the request names', () => {
    const chosen = selectTools('files__op_3, files__op_4 and list_issues', tools, 2);
    expect(chosen.map((tool) => tool.name)).toEqual(['files__op_3', 'files__op_4', 'github__list_issues']);
  });

  it('leaves out tools that share no word with the request once the minimum is in', () => {
    const chosen = selectTools('post to slack', tools, 10, 2);
    expect(chosen.map((tool) => tool.name)).toEqual(['files__op_0', 'slack__post_message']);
    expect(selectTools('post to slack', tools, 10, 0).map((tool) => tool.name)).toEqual(['slack__post_message']);
  });
});
