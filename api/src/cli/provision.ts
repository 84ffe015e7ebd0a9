/**
 * `npm run provision -- --port /dev/ttyUSB0 --file smartlock-<id>.json --ssid <network>`:
 * sends a lock its provisioning file and Wi-Fi network over Improv Wi-Fi on its USB serial port
 * (docs/provisioning.md, firmware/README.md "Provisioning"). The Wi-Fi password comes from
 * SMARTLOCK_WIFI_PASSWORD (preferred: argv is visible in `ps`) or --password.
 * `--stdio` talks over this process's stdin/stdout instead of a port (messages go to stderr).
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, openSync, readFileSync } from 'node:fs';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import type { Readable, Writable } from 'node:stream';
import { parseProvisioningFile, provisionLock } from './improv.js';

const USAGE = `usage: npm run provision -- (--port /dev/ttyUSB0 | --stdio) --file smartlock-<id>.json --ssid <network>
                           [--password <wifi password>] [--baud 115200] [--timeout-s 60]
The Wi-Fi password may (better) come from SMARTLOCK_WIFI_PASSWORD; an open network has none.
`;

interface Args {
  port?: string;
  stdio: boolean;
  file?: string;
  ssid?: string;
  password?: string;
  baud: number;
  timeoutS: number;
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { stdio: false, baud: 115200, timeoutS: 60, password: process.env.SMARTLOCK_WIFI_PASSWORD };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    try {
      if (name === '--port') a.port = value();
      else if (name === '--stdio') a.stdio = true;
      else if (name === '--file') a.file = value();
      else if (name === '--ssid') a.ssid = value();
      else if (name === '--password') a.password = value();
      else if (name === '--baud') a.baud = Number(value());
      else if (name === '--timeout-s') a.timeoutS = Number(value());
      else return `unknown option ${name}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if ((a.port === undefined) === !a.stdio) return 'give exactly one of --port and --stdio';
  if (a.file === undefined || a.ssid === undefined) return '--file and --ssid are required';
  if (!Number.isInteger(a.baud) || a.baud <= 0 || !(a.timeoutS > 0)) return '--baud and --timeout-s must be positive';
  return a;
}

/** The serial port as two streams, after `stty` has made it raw (no echo, no line editing, no CR/LF mapping). */
function openPort(path: string, baud: number): { input: Readable; output: Writable } {
  execFileSync('stty', ['-F', path, String(baud), 'raw', '-echo', '-echoe', '-echok', '-echoctl', '-echoke'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fd = openSync(path, 'r+');
  if (isatty(fd)) return { input: new ReadStream(fd), output: new WriteStream(fd) };
  return { input: createReadStream('', { fd }), output: createWriteStream('', { fd }) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`provision: ${args}\n${USAGE}`);
    return 2;
  }
  let file;
  try {
    file = parseProvisioningFile(readFileSync(args.file!, 'utf8'));
  } catch (e) {
    process.stderr.write(`provision: ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const io = args.stdio ? { input: process.stdin, output: process.stdout } : openPort(args.port!, args.baud);
  try {
    const result = await provisionLock(file, { ssid: args.ssid!, password: args.password ?? '' }, io, { timeoutMs: args.timeoutS * 1000, log: say });
    say(`provisioned: ${file.deviceId} (${result.deviceInfo.join(' ')}) joined "${args.ssid}" and will dial ${file.broker.host}`);
    say('delete the provisioning file now: it holds the device secret (docs/provisioning.md)');
    return 0;
  } catch (e) {
    say(`provision: ${(e as Error).message}`);
    return 1;
  }
}

// The port's streams keep the event loop alive: leave explicitly.
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`provision: ${String(e)}\n`);
    process.exit(1);
  },
);
