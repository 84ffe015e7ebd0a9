import { describe, expect, it } from 'vitest';
import { BatchLoader } from './batch-loader.js';

interface Row {
  id: string;
  n: number;
}

function counting(rows: Row[]) {
  const calls: string[][] = [];
  const loader = new BatchLoader<Row>(
    async (ids) => {
      calls.push(ids);
      return rows.filter((r) => ids.includes(r.id));
    },
    (r) => r.id,
  );
  return { loader, calls };
}

describe('BatchLoader', () => {
  it('reads the ids asked in one pass with one call, each id once, null for a missing one', async () => {
    const { loader, calls } = counting([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    const answers = await Promise.all([loader.load('a'), loader.load('b'), loader.load('a'), loader.load('zz')]);
    expect(answers).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'a', n: 1 }, null]);
    expect(calls).toEqual([['a', 'b', 'zz']]);
  });

  it('batches loads made after an await of an earlier batch (a second field of each list item)', async () => {
    const { loader, calls } = counting([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    const twice = async (id: string) => {
      await loader.load(id);
      await Promise.resolve();
      return loader.load(id);
    };
    await Promise.all([twice('a'), twice('b')]);
    expect(calls).toEqual([['a', 'b'], ['a', 'b']]);
  });

  it('caches nothing past a batch: a later load reads the store again', async () => {
    const rows = [{ id: 'a', n: 1 }];
    const { loader, calls } = counting(rows);
    expect(await loader.load('a')).toEqual({ id: 'a', n: 1 });
    rows[0]!.n = 2;
    expect(await loader.load('a')).toEqual({ id: 'a', n: 2 });
    expect(calls).toHaveLength(2);
  });

  it('rejects every load of a batch whose read failed, and serves the next batch', async () => {
    let fail = true;
    const loader = new BatchLoader<Row>(
      async (ids) => {
        if (fail) throw new Error('storage down');
        return ids.map((id) => ({ id, n: 0 }));
      },
      (r) => r.id,
    );
    const failed = [loader.load('a'), loader.load('b')];
    await expect(failed[0]).rejects.toThrow('storage down');
    await expect(failed[1]).rejects.toThrow('storage down');
    fail = false;
    expect(await loader.load('a')).toEqual({ id: 'a', n: 0 });
  });
});
