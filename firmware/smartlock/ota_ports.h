// Firmware updates on the ESP32: the core's FirmwareFlash over ESP-IDF's OTA API (esp_ota_*),
// and its FirmwareDownloader over HTTPClient with TLS checked against a configured CA. All the
// decisions (signature, hash, trial, rollback, power cuts) are the core's UpdateAgent's.
//
// Partition table: two OTA app slots and otadata, e.g. Arduino's default.csv (app0/app1 of
// 1.25 MB, platformio.ini board_build.partitions). With CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE the
// bootloader itself drops a trial image that reboots unconfirmed (ESP_OTA_IMG_PENDING_VERIFY);
// Arduino's prebuilt bootloader may not have it, so a trial is also remembered in NVS ("otatrial")
// and the core rolls back a trial image that booted twice (docs: firmware/README.md, "Updates").
#pragma once
#include <Arduino.h>
#include <HTTPClient.h>
#include <WiFiClientSecure.h>
#include <esp_ota_ops.h>
#include <esp_partition.h>

#include "ports.h"
#include "update_ports.h"

class EspOtaFlash : public smartlock::FirmwareFlash {
 public:
  explicit EspOtaFlash(smartlock::Storage& nvs) : nvs_(nvs) {}

  bool findSlots() {
    slots_[0] = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_0, nullptr);
    slots_[1] = esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_OTA_1, nullptr);
    return slots_[0] != nullptr && slots_[1] != nullptr;  // else the partition table has no OTA slots
  }

  int runningSlot() override {
    const esp_partition_t* running = esp_ota_get_running_partition();
    return running != nullptr && slots_[1] != nullptr && running->address == slots_[1]->address ? 1 : 0;
  }
  bool runningIsPending() override {
    esp_ota_img_states_t state;
    if (esp_ota_get_state_partition(esp_ota_get_running_partition(), &state) == ESP_OK &&
        state == ESP_OTA_IMG_PENDING_VERIFY) {
      return true;
    }
    const std::optional<uint64_t> trial = nvs_.load(kTrialKey);  // slot + 1 of an unconfirmed image
    return trial && *trial == static_cast<uint64_t>(runningSlot() + 1);
  }
  uint32_t slotSize() override { return slots_[0] != nullptr ? slots_[0]->size : 0; }

  bool begin(int slot, uint32_t size) override {
    if (slot < 0 || slot > 1 || slots_[slot] == nullptr || slot == runningSlot()) return false;
    abort();
    if (esp_ota_begin(slots_[slot], size, &handle_) != ESP_OK) return false;  // erases the slot
    writing_ = true;
    return true;
  }
  bool write(const uint8_t* data, size_t n) override { return writing_ && esp_ota_write(handle_, data, n) == ESP_OK; }
  bool finish() override {
    if (!writing_) return false;
    writing_ = false;
    return esp_ota_end(handle_) == ESP_OK;  // checks the app image's header and checksum
  }
  void abort() override {
    if (writing_) esp_ota_abort(handle_);
    writing_ = false;
  }
  bool read(int slot, uint32_t offset, uint8_t* out, size_t n) override {
    return slot >= 0 && slot <= 1 && slots_[slot] != nullptr && esp_partition_read(slots_[slot], offset, out, n) == ESP_OK;
  }
  bool setBootSlot(int slot) override {
    if (slot < 0 || slot > 1 || slots_[slot] == nullptr) return false;
    if (!nvs_.store(kTrialKey, static_cast<uint64_t>(slot + 1))) return false;
    return esp_ota_set_boot_partition(slots_[slot]) == ESP_OK;
  }
  bool markValid() override {
    esp_ota_mark_app_valid_cancel_rollback();  // ESP_ERR_NOT_SUPPORTED without bootloader rollback: fine
    return nvs_.store(kTrialKey, 0);
  }
  void rollback() override {
    esp_ota_mark_app_invalid_rollback_and_reboot();  // does not return when the bootloader can roll back
    const int other = 1 - runningSlot();
    if (slots_[other] != nullptr) esp_ota_set_boot_partition(slots_[other]);
    esp_restart();
  }
  void restart() override { esp_restart(); }

 private:
  static constexpr const char* kTrialKey = "otatrial";
  smartlock::Storage& nvs_;
  const esp_partition_t* slots_[2] = {nullptr, nullptr};
  esp_ota_handle_t handle_ = 0;
  bool writing_ = false;
};

// One GET of an image. https:// with the CA the lock was configured with; http:// only in a build
// that defines SMARTLOCK_FIRMWARE_ALLOW_HTTP (a LAN test server: the manifest's signature and
// sha256 still decide, TLS only hides what is downloaded).
class HttpsImageDownloader : public smartlock::FirmwareDownloader {
 public:
  explicit HttpsImageDownloader(const char* caPem) : ca_(caPem) {}

  bool open(const char* url) override {
    close();
    const bool https = strncmp(url, "https://", 8) == 0;
#ifndef SMARTLOCK_FIRMWARE_ALLOW_HTTP
    if (!https) return false;
#endif
    if (https) {
      if (ca_ == nullptr) return false;  // never download over TLS without checking the server
      tls_.setCACert(ca_);
    }
    http_.setTimeout(10000);
    http_.setReuse(false);
    const bool started = https ? http_.begin(tls_, url) : http_.begin(plain_, url);
    if (!started || http_.GET() != HTTP_CODE_OK) {
      http_.end();
      return false;
    }
    remaining_ = http_.getSize();  // -1 when the server sent no Content-Length
    stream_ = http_.getStreamPtr();
    return stream_ != nullptr;
  }

  int32_t read(uint8_t* buf, size_t cap) override {
    if (stream_ == nullptr) return kError;
    if (remaining_ == 0) return kEnd;
    const int available = stream_->available();
    if (available <= 0) return http_.connected() ? 0 : kEnd;  // closed early: the core says "truncated"
    size_t n = static_cast<size_t>(available) < cap ? static_cast<size_t>(available) : cap;
    if (remaining_ > 0 && static_cast<int>(n) > remaining_) n = static_cast<size_t>(remaining_);
    const size_t got = stream_->readBytes(buf, n);
    if (remaining_ > 0) remaining_ -= static_cast<int>(got);
    return static_cast<int32_t>(got);
  }

  void close() override {
    if (stream_ != nullptr) http_.end();
    stream_ = nullptr;
  }

 private:
  const char* ca_;
  WiFiClientSecure tls_;
  WiFiClient plain_;
  HTTPClient http_;
  WiFiClient* stream_ = nullptr;
  int remaining_ = -1;
};
