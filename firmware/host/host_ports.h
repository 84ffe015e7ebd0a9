// The virtual lock's world: files for NVS, the system clock (treated as synced), stdout LEDs.
#pragma once
#include <random>
#include <string>

#include "led_actuator.h"
#include "ports.h"

namespace host {

// One small file per key, replaced atomically (write, fsync, rename) so a kill -9 at any
// moment leaves either the old or the new counter, never a torn one.
class FileStorage : public smartlock::Storage {
 public:
  explicit FileStorage(std::string dir) : dir_(std::move(dir)) {}
  std::optional<uint64_t> load(const char* key) override;
  bool store(const char* key, uint64_t value) override;
  bool storeText(const char* key, const char* value) override;
  bool loadText(const char* key, char* out, size_t cap) override;

 private:
  bool replace(const char* key, const std::string& content);
  std::string dir_;
};

class SystemClock : public smartlock::Clock {
 public:
  uint32_t millis() override;
  std::optional<int64_t> unixTime() override;
};

class SystemRandom : public smartlock::Random {
 public:
  uint32_t next() override { return dist_(rd_); }

 private:
  std::random_device rd_;
  std::uniform_int_distribution<uint32_t> dist_;
};

// Prints one line per change, e.g. "LED green (UNLOCKED)"; the smoke test reads them.
class ConsoleLeds : public smartlock::LedIndicator {
 public:
  void show(smartlock::Indication what) override;
};

class StderrLogger : public smartlock::Logger {
 public:
  void log(const char* line) override;
};

}  // namespace host
