// The virtual lock's two firmware slots as files in <state-dir>/ota/ (slot0.bin, slot1.bin) plus
// "otadata" (which slot boots, and each slot's state), with ESP-IDF's bootloader rollback
// emulated at every start: a NEW slot boots once as PENDING; PENDING again (the image never
// confirmed itself) becomes INVALID and the other slot boots. An image's first line
// "smartlock-virtual-image fw=<version>" is the version the virtual lock then reports.
#pragma once
#include <cstdio>
#include <string>

#include "update_ports.h"

namespace host {

class FileFlash : public smartlock::FirmwareFlash {
 public:
  enum class State : char { Valid = 'V', New = 'N', Pending = 'P', Invalid = 'I' };

  // factoryImage: written to slot 0 (valid) when the directory holds no otadata yet.
  FileFlash(std::string dir, const std::string& factoryImage, uint32_t slotSize = 16u << 20);
  ~FileFlash() override;
  // The bootloader: picks the slot to run. False if no slot holds a bootable image.
  bool powerOn();
  std::string runningImage() const;   // the running slot's bytes
  bool rebootRequested() const { return reboot_; }

  int runningSlot() override { return running_; }
  bool runningIsPending() override { return state_[running_] == State::Pending; }
  uint32_t slotSize() override { return slotSize_; }
  bool begin(int slot, uint32_t size) override;
  bool write(const uint8_t* data, size_t n) override;
  bool finish() override;
  void abort() override;
  bool read(int slot, uint32_t offset, uint8_t* out, size_t n) override;
  bool setBootSlot(int slot) override;
  bool markValid() override;
  void rollback() override;
  void restart() override { reboot_ = true; }

 private:
  std::string slotPath(int slot) const { return dir_ + "/slot" + std::to_string(slot) + ".bin"; }
  bool saveOtadata();
  bool loadOtadata();

  std::string dir_;
  uint32_t slotSize_;
  int boot_ = 0, running_ = 0;
  State state_[2] = {State::Valid, State::Invalid};
  bool complete_[2] = {true, false};
  FILE* writing_ = nullptr;
  int writingSlot_ = -1;
  bool reboot_ = false;
};

// The version in an image's first line, or "" when it has none.
std::string fwOfImage(const std::string& image);

}  // namespace host
