// Bluetooth offline keys on the ESP32 (docs/protocol.md §16): the GATT service over NimBLE-Arduino
// (h2zero, pinned in platformio.ini), handing bytes to the core's BleAccess. Everything it calls is
// host-tested (firmware/test/ble_*_test.cpp); this file is not: no Xtensa toolchain or radio here,
// so it has never been compiled. Keep it this small.
//
// NimBLE calls back from its own task; the core is not thread-safe. So: a challenge read takes
// the mutex for the one readChallenge() call; a request write is copied into a mailbox and handled
// by loop() under the mutex; the sketch holds the same mutex around LockApp::loop().
#pragma once
#include <Arduino.h>
#include <NimBLEDevice.h>
#include <freertos/semphr.h>

#include <cstring>

#include "ble_access.h"

class BleNimbleShell {
 public:
  explicit BleNimbleShell(smartlock::BleAccess& ble) : ble_(ble), mutex_(xSemaphoreCreateMutex()) {}

  // Advertises the service as "Smartlock <first 8 chars of the device id>".
  void begin(const char* deviceId) {
    char name[20];
    std::snprintf(name, sizeof name, "Smartlock %.8s", deviceId);
    NimBLEDevice::init(name);
    NimBLEServer* server = NimBLEDevice::createServer();
    NimBLEService* service = server->createService(smartlock::kBleServiceUuid);
    challenge_ = service->createCharacteristic(smartlock::kBleChallengeUuid, NIMBLE_PROPERTY::READ);
    request_ = service->createCharacteristic(smartlock::kBleRequestUuid, NIMBLE_PROPERTY::WRITE,
                                             smartlock::kBleRequestMax);
    result_ = service->createCharacteristic(smartlock::kBleResultUuid, NIMBLE_PROPERTY::READ | NIMBLE_PROPERTY::NOTIFY);
    challenge_->setCallbacks(&challengeCallbacks_);
    request_->setCallbacks(&requestCallbacks_);
    service->start();
    NimBLEAdvertising* adv = NimBLEDevice::getAdvertising();
    adv->addServiceUUID(smartlock::kBleServiceUuid);
    adv->start();
  }

  void lock() { xSemaphoreTake(mutex_, portMAX_DELAY); }
  void unlock() { xSemaphoreGive(mutex_); }

  // From loop(), with the mutex NOT held: handles a written request and publishes a new result.
  void loop() {
    lock();
    if (pendingLen_ > 0) {
      ble_.request(pending_, pendingLen_);
      pendingLen_ = 0;
    }
    const bool changed = ble_.takeResultChanged();
    if (changed) result_->setValue(reinterpret_cast<const uint8_t*>(ble_.result()), ble_.resultLength());
    unlock();
    if (changed) result_->notify();
  }

 private:
  struct ChallengeCallbacks : NimBLECharacteristicCallbacks {
    BleNimbleShell* shell;
    explicit ChallengeCallbacks(BleNimbleShell* s) : shell(s) {}
    void onRead(NimBLECharacteristic* c) override {  // a fresh nonce for every read
      char buf[smartlock::kBleMessageMax + 1];
      shell->lock();
      const size_t n = shell->ble_.readChallenge(buf, sizeof buf);
      shell->unlock();
      c->setValue(reinterpret_cast<const uint8_t*>(buf), n);
    }
  };
  struct RequestCallbacks : NimBLECharacteristicCallbacks {
    BleNimbleShell* shell;
    explicit RequestCallbacks(BleNimbleShell* s) : shell(s) {}
    void onWrite(NimBLECharacteristic* c) override {  // copied; checked in loop()
      const NimBLEAttValue v = c->getValue();
      shell->lock();
      // Longer than 400 bytes: one byte too many is enough for the core to answer malformed.
      shell->pendingLen_ = v.length() > smartlock::kBleRequestMax ? smartlock::kBleRequestMax + 1 : v.length();
      std::memcpy(shell->pending_, v.data(), shell->pendingLen_ > smartlock::kBleRequestMax ? smartlock::kBleRequestMax : shell->pendingLen_);
      shell->unlock();
    }
  };

  smartlock::BleAccess& ble_;
  SemaphoreHandle_t mutex_;
  NimBLECharacteristic* challenge_ = nullptr;
  NimBLECharacteristic* request_ = nullptr;
  NimBLECharacteristic* result_ = nullptr;
  ChallengeCallbacks challengeCallbacks_{this};
  RequestCallbacks requestCallbacks_{this};
  char pending_[smartlock::kBleRequestMax + 1] = {};
  size_t pendingLen_ = 0;
};
