#include "host_ports.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace host {

std::optional<uint64_t> FileStorage::load(const char* key) {
  FILE* f = std::fopen((dir_ + "/" + key).c_str(), "r");
  if (f == nullptr) return std::nullopt;
  unsigned long long v = 0;
  const bool ok = std::fscanf(f, "%llu", &v) == 1;
  std::fclose(f);
  if (!ok) return std::nullopt;
  return static_cast<uint64_t>(v);
}

bool FileStorage::store(const char* key, uint64_t value) {
  return replace(key, std::to_string(static_cast<unsigned long long>(value)) + "\n");
}

bool FileStorage::storeText(const char* key, const char* value) { return replace(key, std::string(value) + "\n"); }

bool FileStorage::loadText(const char* key, char* out, size_t cap) {
  FILE* f = std::fopen((dir_ + "/" + key).c_str(), "r");
  if (f == nullptr) return false;
  const bool ok = std::fgets(out, static_cast<int>(cap), f) != nullptr;
  std::fclose(f);
  if (!ok) return false;
  out[std::strcspn(out, "\n")] = '\0';
  return true;
}

// Write a temporary file, fsync, rename over the old one, fsync the directory.
bool FileStorage::replace(const char* key, const std::string& content) {
  const std::string path = dir_ + "/" + key, tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(tmp.c_str(), path.c_str()) != 0) return false;
  const int dirFd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  if (dirFd >= 0) {
    ::fsync(dirFd);  // make the rename itself durable
    ::close(dirFd);
  }
  return true;
}

uint32_t SystemClock::millis() {
  using namespace std::chrono;
  return static_cast<uint32_t>(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

// Like the ESP32: the virtual lock takes its time from the server's signed time messages only.
std::optional<int64_t> SystemClock::unixTime() { return std::nullopt; }

void ConsoleLeds::show(smartlock::Indication what) {
  std::printf("LED %s\n", smartlock::nameOf(what));
  std::fflush(stdout);
}

void StderrLogger::log(const char* line) {
  std::fprintf(stderr, "[lock] %s\n", line);
  std::fflush(stderr);
}

}  // namespace host
