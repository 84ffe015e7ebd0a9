/** Web push subscriptions (one per endpoint, removed by sign-out and by the push service) and preferences. */
import { describe, expect, it } from 'vitest';
import type { NewPushSubscription } from '../push-records.js';
import { at, type ContractContext, seedUser, setClock } from './contract-context.js';

function subscription(userId: string, endpoint: string, more: Partial<NewPushSubscription> = {}): NewPushSubscription {
  return { userId, endpoint, p256dh: `key-${endpoint}`, auth: `auth-${endpoint}`, deviceLabel: 'Phone', sessionId: 's1', ...more };
}

export function describePushContract(ctx: ContractContext): void {
  describe('push subscriptions and preferences', () => {
    it('stores a subscription per endpoint, and a second save of the endpoint replaces it (keys, user, session)', async () => {
      setClock(at(0));
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      const saved = await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/a'));
      expect(saved.id).toMatch(/^\S+$/);
      expect(saved).toEqual({
        id: saved.id,
        userId: alice.id,
        endpoint: 'https://push.example/a',
        p256dh: 'key-https://push.example/a',
        auth: 'auth-https://push.example/a',
        deviceLabel: 'Phone',
        sessionId: 's1',
        createdAt: at(0),
        lastSuccessAt: null,
      });
      setClock(at(1_000));
      await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/b', { sessionId: null }));
      expect((await ctx.store.push.listSubscriptions(alice.id)).map((s) => s.endpoint)).toEqual(['https://push.example/a', 'https://push.example/b']);
      // The same browser, now signed in as bob.
      await ctx.store.push.saveSubscription(subscription(bob.id, 'https://push.example/a', { p256dh: 'new', sessionId: 's2' }));
      expect((await ctx.store.push.listSubscriptions(alice.id)).map((s) => s.endpoint)).toEqual(['https://push.example/b']);
      expect(await ctx.store.push.listSubscriptions(bob.id)).toEqual([expect.objectContaining({ endpoint: 'https://push.example/a', p256dh: 'new', sessionId: 's2' })]);
    });

    it('removes one of a user\'s subscriptions, never another user\'s, and by endpoint, session or user', async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      setClock(at(0));
      await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/a1', { sessionId: 'sa' }));
      await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/a2', { sessionId: 'sa' }));
      await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/a3', { sessionId: 'sb' }));
      await ctx.store.push.saveSubscription(subscription(bob.id, 'https://push.example/b1', { sessionId: 'sc' }));
      expect(await ctx.store.push.removeSubscription(bob.id, 'https://push.example/a3')).toBe(false);
      expect(await ctx.store.push.removeBySession('sa')).toBe(2);
      expect((await ctx.store.push.listSubscriptions(alice.id)).map((s) => s.endpoint)).toEqual(['https://push.example/a3']);
      await ctx.store.push.removeEndpoint('https://push.example/a3');
      expect(await ctx.store.push.listSubscriptions(alice.id)).toEqual([]);
      expect(await ctx.store.push.removeSubscription(bob.id, 'https://push.example/b1')).toBe(true);
      await ctx.store.push.saveSubscription(subscription(bob.id, 'https://push.example/b2'));
      expect(await ctx.store.push.removeByUser(bob.id)).toBe(1);
      expect(await ctx.store.push.listSubscriptions(bob.id)).toEqual([]);
    });

    it('records the last delivery', async () => {
      const alice = await seedUser(ctx.store);
      await ctx.store.push.saveSubscription(subscription(alice.id, 'https://push.example/a'));
      await ctx.store.push.markDelivered('https://push.example/a', at(5_000));
      expect((await ctx.store.push.listSubscriptions(alice.id))[0]?.lastSuccessAt).toEqual(at(5_000));
    });

    it('keeps each user\'s choices per lock and kind, a second choice replacing the first', async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      expect(await ctx.store.push.listPreferences(alice.id)).toEqual([]);
      await ctx.store.push.setPreference({ userId: alice.id, deviceId: 'd1', kind: 'JAMMED', enabled: false });
      await ctx.store.push.setPreference({ userId: alice.id, deviceId: '', kind: 'NEW_SIGN_IN', enabled: false });
      await ctx.store.push.setPreference({ userId: alice.id, deviceId: 'd1', kind: 'JAMMED', enabled: true });
      await ctx.store.push.setPreference({ userId: bob.id, deviceId: 'd1', kind: 'LOW_BATTERY', enabled: false });
      expect(await ctx.store.push.listPreferences(alice.id)).toEqual([
        { userId: alice.id, deviceId: '', kind: 'NEW_SIGN_IN', enabled: false },
        { userId: alice.id, deviceId: 'd1', kind: 'JAMMED', enabled: true },
      ]);
      expect(await ctx.store.push.listOptedIn('d1', 'JAMMED')).toEqual([alice.id]);
      expect(await ctx.store.push.listOptedIn('d1', 'LOW_BATTERY')).toEqual([]);
      expect(await ctx.store.push.listOptedIn('d2', 'JAMMED')).toEqual([]);
    });
  });
}
