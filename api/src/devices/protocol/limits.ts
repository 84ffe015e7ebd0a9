/** Protocol v1 limits, shared with firmware/src/core/protocol.h and docs/protocol.md. */
export const PROTOCOL_VERSION = 1;
/** Larger MQTT payloads are dropped unread. */
export const MAX_PAYLOAD_BYTES = 1024;
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;
export const COMMAND_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const MAX_ISSUE_LENGTH = 64;
export const MAX_FIRMWARE_LENGTH = 32;
export const MAX_REASON_LENGTH = 32;
/** Commands older or newer than this (when the lock's clock is synced) are refused as stale. */
export const MAX_CLOCK_SKEW_SECONDS = 30;
export const MQTT_PASSWORD_LABEL = 'SLMQTT1';
