/**
 * The api's side of the broker, whichever broker it is (embedded aedes or an
 * external one such as Mosquitto): publish commands, receive lock messages.
 */
export interface LockMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

export interface LockLink {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the broker has the message (QoS 1 PUBACK); rejects when disconnected. */
  publish(topic: string, payload: string, options: { qos: 0 | 1; retain?: boolean }): Promise<void>;
  onMessage(handler: (message: LockMessage) => void): void;
  /** For /readyz. */
  isConnected(): boolean;
}

/** Decides whether a lock may connect: username = deviceId, password = mqttPassword(K). */
export interface DeviceAuthenticator {
  verifyDevicePassword(deviceId: string, password: Buffer): Promise<boolean>;
}
