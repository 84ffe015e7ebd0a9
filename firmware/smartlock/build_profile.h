// Which values this build compiles in (firmware/README.md, "Wokwi" and "Secrets at rest"). Plain
// preprocessor, no Arduino header, so api/test/wokwi-profile.test.ts checks it with the host's g++.
//
//   -D SMARTLOCK_WOKWI          (pio env wokwi) secrets.wokwi.h, committed and holding no secret: the
//                               simulator's open Wi-Fi Wokwi-GUEST, plain MQTT to host.wokwi.internal:1883
//                               (the demo's embedded broker through Wokwi's private gateway); the lock
//                               is then claimed by its code.
//   -D SMARTLOCK_RELEASE_BUILD  (pio env release) secrets.h may name the broker, its CA and the release
//                               key (none of them secret), never a device secret or Wi-Fi credentials:
//                               those come from NVS only (Improv, a claim). #error otherwise.
//   neither                     the development fallback: secrets.h when present (secrets.example.h).
//
// After this header, SMARTLOCK_HAVE_SECRETS says whether a file was read; when it was, every value the
// sketch reads is defined ("" for one left out), and SMARTLOCK_IS_RELEASE_BUILD is 0 or 1.
#pragma once

// The values of SMARTLOCK_TLS_MODE (a secrets.h without it keeps CA pinning).
#define SMARTLOCK_TLS_CA 1
#define SMARTLOCK_TLS_PSK 2

#if defined(SMARTLOCK_RELEASE_BUILD)
#define SMARTLOCK_IS_RELEASE_BUILD 1
#else
#define SMARTLOCK_IS_RELEASE_BUILD 0
#endif

#if defined(SMARTLOCK_WOKWI) && SMARTLOCK_IS_RELEASE_BUILD
#error "SMARTLOCK_WOKWI is a development profile: never in a release build"
#endif

#if defined(SMARTLOCK_WOKWI)
#include "secrets.wokwi.h"
#define SMARTLOCK_HAVE_SECRETS 1
#elif __has_include("secrets.h")
#include "secrets.h"  // development fallback (git-ignored); in a release build only the broker's settings
#define SMARTLOCK_HAVE_SECRETS 1
#else
#define SMARTLOCK_HAVE_SECRETS 0
#endif

#if SMARTLOCK_IS_RELEASE_BUILD
#if defined(SMARTLOCK_DEVICE_SECRET)
#error "SMARTLOCK_RELEASE_BUILD: secrets.h defines SMARTLOCK_DEVICE_SECRET. A release takes the device secret from NVS only (Improv or a claim); remove it (firmware/README.md, Secrets at rest)"
#endif
#if defined(SMARTLOCK_DEVICE_ID)
#error "SMARTLOCK_RELEASE_BUILD: secrets.h defines SMARTLOCK_DEVICE_ID. A release gets its id with its secret, from NVS (Improv or a claim); remove it"
#endif
#if defined(SMARTLOCK_WIFI_SSID) || defined(SMARTLOCK_WIFI_PASSWORD)
#error "SMARTLOCK_RELEASE_BUILD: secrets.h defines Wi-Fi credentials. A release joins the network Improv stored in NVS; remove them"
#endif
#endif

#if SMARTLOCK_HAVE_SECRETS
#ifndef SMARTLOCK_TLS_MODE
#define SMARTLOCK_TLS_MODE SMARTLOCK_TLS_CA
#endif
#if SMARTLOCK_TLS_MODE != SMARTLOCK_TLS_CA && SMARTLOCK_TLS_MODE != SMARTLOCK_TLS_PSK
#error "SMARTLOCK_TLS_MODE must be SMARTLOCK_TLS_CA or SMARTLOCK_TLS_PSK"
#endif
#ifndef SMARTLOCK_DEVICE_ID
#define SMARTLOCK_DEVICE_ID ""  // none: the lock waits to be claimed over the broker below
#endif
#ifndef SMARTLOCK_DEVICE_SECRET
#define SMARTLOCK_DEVICE_SECRET ""
#endif
#ifndef SMARTLOCK_WIFI_SSID
#define SMARTLOCK_WIFI_SSID ""  // none: Improv provides the network
#endif
#ifndef SMARTLOCK_WIFI_PASSWORD
#define SMARTLOCK_WIFI_PASSWORD ""
#endif
#ifndef SMARTLOCK_TOPIC_PREFIX
#define SMARTLOCK_TOPIC_PREFIX "smartlock"
#endif
#endif

// Indicator LEDs: the pins wokwi/diagram.json wires (checked by api/test/wokwi-profile.test.ts).
#ifndef SMARTLOCK_PIN_RED
#define SMARTLOCK_PIN_RED 25
#endif
#ifndef SMARTLOCK_PIN_GREEN
#define SMARTLOCK_PIN_GREEN 26
#endif
