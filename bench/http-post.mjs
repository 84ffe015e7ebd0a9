// A GraphQL POST over one kept-alive socket with Nagle off, offering the encodings a browser
// offers (the api compresses what is worth it): node:http, not fetch, so that a client timing the
// api allocates little (its own garbage collection would show in the figures).
import { require } from './lib.mjs';

const http = require('node:http');
const zlib = require('node:zlib');

const decoders = { gzip: zlib.gunzipSync, deflate: zlib.inflateSync, br: zlib.brotliDecompressSync };

/** One agent per client process: one socket, kept alive. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Resolves with the parsed JSON body (errors included: the caller decides). */
export function post(url, token, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'accept-encoding': 'gzip, deflate, br',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const decode = decoders[response.headers['content-encoding']];
        resolve(JSON.parse((decode ? decode(body) : body).toString('utf8')));
      });
      response.on('error', reject);
    });
    request.on('socket', (socket) => socket.setNoDelay(true));
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * The `data` of a GraphQL answer; its errors thrown. A request that meets a kept-alive socket the
 * api just closed (Node's keepAliveTimeout, 5 s idle) is sent again once.
 */
export async function graphqlData(url, token, body) {
  const answer = await post(url, token, body).catch((error) => {
    if (error.code === 'ECONNRESET') return post(url, token, body);
    throw error;
  });
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}
