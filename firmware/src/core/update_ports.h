// What a firmware update needs from the platform: two image slots and a streamed download.
// FirmwareFlash follows ESP-IDF's OTA calls (esp_ota_*) with its bootloader rollback enabled:
// a slot made bootable with setBootSlot() boots once "pending"; if it boots again without
// markValid() the bootloader falls back to the other slot. The host (host/) and the tests
// emulate exactly that.
#pragma once
#include <cstddef>
#include <cstdint>

namespace smartlock {

class FirmwareFlash {
 public:
  virtual ~FirmwareFlash() = default;
  virtual int runningSlot() = 0;         // 0 or 1 (esp_ota_get_running_partition)
  virtual bool runningIsPending() = 0;   // running on trial (ESP_OTA_IMG_PENDING_VERIFY)
  virtual uint32_t slotSize() = 0;       // bytes an image may take
  virtual bool begin(int slot, uint32_t size) = 0;         // erase for writing (esp_ota_begin)
  virtual bool write(const uint8_t* data, size_t n) = 0;   // append (esp_ota_write)
  virtual bool finish() = 0;                               // close, check the image (esp_ota_end)
  virtual void abort() = 0;                                // give up writing (esp_ota_abort)
  virtual bool read(int slot, uint32_t offset, uint8_t* out, size_t n) = 0;  // esp_partition_read
  virtual bool setBootSlot(int slot) = 0;  // boot it next, on trial (esp_ota_set_boot_partition)
  virtual bool markValid() = 0;            // keep the running image (esp_ota_mark_app_valid_cancel_rollback)
  // The running image is bad: boot the other slot (esp_ota_mark_app_invalid_rollback_and_reboot).
  // Does not return on hardware; the host and tests return and reboot when the caller yields.
  virtual void rollback() = 0;
  virtual void restart() = 0;  // esp_restart(); same caveat
};

// One HTTP(S) GET of an image, read as a stream of chunks.
class FirmwareDownloader {
 public:
  static constexpr int32_t kEnd = -1;    // the whole body was read
  static constexpr int32_t kError = -2;  // connection or HTTP failure
  virtual ~FirmwareDownloader() = default;
  virtual bool open(const char* url) = 0;  // false when it cannot start (bad URL, refused, non-200)
  // > 0: bytes read into buf; 0: nothing yet; kEnd or kError.
  virtual int32_t read(uint8_t* buf, size_t cap) = 0;
  virtual void close() = 0;
};

}  // namespace smartlock
