#include "file_flash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace host {
namespace {

bool writeFileDurably(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  const bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  return ok && std::rename(tmp.c_str(), path.c_str()) == 0;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string fwOfImage(const std::string& image) {
  static const char kTag[] = "smartlock-virtual-image fw=";
  if (image.compare(0, sizeof kTag - 1, kTag) != 0) return "";
  const size_t end = image.find('\n');
  return end == std::string::npos ? "" : image.substr(sizeof kTag - 1, end - (sizeof kTag - 1));
}

FileFlash::FileFlash(std::string dir, const std::string& factoryImage, uint32_t slotSize)
    : dir_(std::move(dir)), slotSize_(slotSize) {
  ::mkdir(dir_.c_str(), 0700);
  if (!loadOtadata()) {
    writeFileDurably(slotPath(0), factoryImage);
    saveOtadata();
  }
}

FileFlash::~FileFlash() { abort(); }

// "boot=<0|1> s0=<V|N|P|I><1|0> s1=..." : the state letter and whether the slot is complete.
bool FileFlash::saveOtadata() {
  char line[64];
  std::snprintf(line, sizeof line, "boot=%d s0=%c%d s1=%c%d\n", boot_, static_cast<char>(state_[0]), complete_[0] ? 1 : 0,
                static_cast<char>(state_[1]), complete_[1] ? 1 : 0);
  return writeFileDurably(dir_ + "/otadata", line);
}

bool FileFlash::loadOtadata() {
  const std::string s = readFile(dir_ + "/otadata");
  int boot = 0, c0 = 0, c1 = 0;
  char s0 = 0, s1 = 0;
  if (std::sscanf(s.c_str(), "boot=%d s0=%c%d s1=%c%d", &boot, &s0, &c0, &s1, &c1) != 5 || (boot != 0 && boot != 1)) {
    return false;
  }
  boot_ = boot;
  state_[0] = static_cast<State>(s0);
  state_[1] = static_cast<State>(s1);
  complete_[0] = c0 == 1;
  complete_[1] = c1 == 1;
  return true;
}

bool FileFlash::powerOn() {
  int s = boot_;
  if (state_[s] == State::Pending) {
    state_[s] = State::Invalid;  // it booted once on trial and never confirmed itself
    s = 1 - s;
  } else if (state_[s] == State::Invalid || !complete_[s]) {
    s = 1 - s;
  }
  if (!complete_[s] || state_[s] == State::Invalid) return false;
  if (state_[s] == State::New) state_[s] = State::Pending;
  boot_ = s;
  running_ = s;
  reboot_ = false;
  return saveOtadata();
}

std::string FileFlash::runningImage() const { return readFile(slotPath(running_)); }

bool FileFlash::begin(int slot, uint32_t size) {
  if (slot == running_ || slot < 0 || slot > 1 || size > slotSize_) return false;
  abort();
  complete_[slot] = false;
  state_[slot] = State::Invalid;
  if (!saveOtadata()) return false;  // first: a half-written slot must never look bootable
  writing_ = std::fopen(slotPath(slot).c_str(), "wb");
  writingSlot_ = writing_ != nullptr ? slot : -1;
  return writing_ != nullptr;
}

bool FileFlash::write(const uint8_t* data, size_t n) {
  return writing_ != nullptr && std::fwrite(data, 1, n, writing_) == n;
}

bool FileFlash::finish() {
  if (writing_ == nullptr) return false;
  const bool ok = std::fflush(writing_) == 0 && ::fsync(::fileno(writing_)) == 0;
  std::fclose(writing_);
  writing_ = nullptr;
  if (!ok) return false;
  complete_[writingSlot_] = true;
  writingSlot_ = -1;
  return saveOtadata();
}

void FileFlash::abort() {
  if (writing_ != nullptr) std::fclose(writing_);
  writing_ = nullptr;
  writingSlot_ = -1;
}

bool FileFlash::read(int slot, uint32_t offset, uint8_t* out, size_t n) {
  FILE* f = std::fopen(slotPath(slot).c_str(), "rb");
  if (f == nullptr) return false;
  const bool ok = std::fseek(f, static_cast<long>(offset), SEEK_SET) == 0 && std::fread(out, 1, n, f) == n;
  std::fclose(f);
  return ok;
}

bool FileFlash::setBootSlot(int slot) {
  if (slot < 0 || slot > 1 || !complete_[slot]) return false;
  state_[slot] = State::New;
  boot_ = slot;
  return saveOtadata();
}

bool FileFlash::markValid() {
  state_[running_] = State::Valid;
  return saveOtadata();
}

void FileFlash::rollback() {
  state_[running_] = State::Invalid;
  boot_ = 1 - running_;
  saveOtadata();
  reboot_ = true;
}

}  // namespace host
