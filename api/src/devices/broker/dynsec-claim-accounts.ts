/**
 * Claim accounts on Mosquitto 2's dynamic security (docs/protocol.md §15.8): client `claim-<fid>`,
 * client id bound to it, and role `smartlock-claim-<fid>` allowing exactly subscribe `P/claim/<fid>`
 * and publish `P/claim/<fid>/hello`. The client's text name holds when it may be deleted as left
 * behind, so a replica starting up never deletes another replica's claim in progress.
 */
import type { Logger } from '../../app/logger.js';
import type { ClaimAccounts } from '../../claims/claim-accounts.js';
import type { Topics } from '../protocol/topics.js';
import type { DynsecClient, DynsecCommand } from './dynsec-client.js';

export const CLAIM_ROLE_PREFIX = 'smartlock-claim-';
const CLAIM_USERNAME = /^claim-([0-9a-f]{16})$/;
const UNTIL = /^smartlock claim until (\d+)$/;
const ALREADY_EXISTS = /already exists/i;
const NOT_FOUND = /not found/i;

export const claimUsername = (factoryId: string) => `claim-${factoryId}`;
export const claimRoleName = (factoryId: string) => `${CLAIM_ROLE_PREFIX}${factoryId}`;

/** The unclaimed lock's only rights: hear its claim message, say its hello. */
export function claimRoleAcls(topics: Topics, factoryId: string) {
  return [
    { acltype: 'subscribeLiteral', topic: topics.claim(factoryId), allow: true },
    { acltype: 'publishClientReceive', topic: topics.claim(factoryId), allow: true },
    { acltype: 'publishClientSend', topic: topics.claimHello(factoryId), allow: true },
  ];
}

interface ListedClient {
  username: string;
  textname?: string;
  roles?: { rolename: string }[];
}

export class DynsecClaimAccounts implements ClaimAccounts {
  private readonly log: Logger;

  constructor(
    private readonly client: DynsecClient,
    private readonly topics: Topics,
    log: Logger,
  ) {
    this.log = log.child({ component: 'claim-accounts' });
  }

  async open(factoryId: string, password: string, until: Date): Promise<void> {
    const username = claimUsername(factoryId);
    const rolename = claimRoleName(factoryId);
    const client = { username, password, clientid: username, textname: `smartlock claim until ${until.getTime()}`, roles: [{ rolename }] };
    const [, created] = await this.client.run(
      [
        { command: 'createRole', rolename, textname: `Smartlock unclaimed lock ${factoryId}`, acls: claimRoleAcls(this.topics, factoryId) },
        { command: 'createClient', ...client },
      ],
      ALREADY_EXISTS,
    );
    if (created?.error === undefined) return;
    // Another claim of the same lock (or one left behind): it takes this claim's password.
    await this.client.run([{ command: 'modifyClient', ...client }]);
  }

  async close(factoryId: string): Promise<void> {
    await this.client.run(this.deleteCommands(factoryId), NOT_FOUND);
  }

  async removeExpired(now: Date): Promise<void> {
    const [listed] = await this.client.run([{ command: 'listClients', verbose: true, count: -1 }]);
    const clients = (listed?.data as { clients?: ListedClient[] } | undefined)?.clients ?? [];
    const expired = clients.flatMap((client) => {
      const factoryId = CLAIM_USERNAME.exec(client.username)?.[1];
      if (!factoryId || !client.roles?.some((role) => role.rolename === claimRoleName(factoryId))) return []; // not ours
      const until = Number(UNTIL.exec(client.textname ?? '')?.[1] ?? 0);
      return until <= now.getTime() ? [factoryId] : [];
    });
    if (expired.length > 0) await this.client.run(expired.flatMap((factoryId) => this.deleteCommands(factoryId)), NOT_FOUND);
    this.log.info({ deleted: expired.length }, 'claim accounts left behind deleted');
  }

  private deleteCommands(factoryId: string): DynsecCommand[] {
    return [
      { command: 'deleteClient', username: claimUsername(factoryId) },
      { command: 'deleteRole', rolename: claimRoleName(factoryId) },
    ];
  }
}
