/**
 * The base URL locks download images from: FIRMWARE_BASE_URL, else the api's port on the host
 * locks already dial (MQTT_PUBLIC_HOST, as lockConnection shows it), else the app's first
 * allowed origin, else localhost (development). The port is known only once HTTP listens.
 */
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';
import { imageUrl } from './firmware-images.js';

export class FirmwareUrls {
  private port: number;

  constructor(private readonly config: Pick<Config, 'firmware' | 'mqtt' | 'http'>) {
    this.port = config.http.port;
  }

  /** Called with the port HTTP really listens on (PORT=0 picks one). */
  bound(port: number): void {
    this.port = port;
  }

  baseUrl(): string {
    if (this.config.firmware.baseUrl) return this.config.firmware.baseUrl;
    const host = this.config.mqtt.publicHost;
    if (host) return `http://${isIP(host) === 6 ? `[${host}]` : host}:${this.port}`;
    return this.config.http.allowedOrigins[0] ?? `http://localhost:${this.port}`;
  }

  image(sha256: string): string {
    return imageUrl(this.baseUrl(), sha256);
  }
}
