// A minimal HTTP/1.1 GET over a POSIX socket for the virtual lock's firmware downloads: http://
// only (tests serve images locally; the ESP32 shell downloads over TLS), no redirects, no chunked
// bodies. A body shorter than its Content-Length ends early, and the update agent then reports
// "truncated".
#pragma once
#include <string>

#include "update_ports.h"

namespace host {

class HttpDownloader : public smartlock::FirmwareDownloader {
 public:
  ~HttpDownloader() override { close(); }
  bool open(const char* url) override;
  int32_t read(uint8_t* buf, size_t cap) override;
  void close() override;

 private:
  bool readHeaders();
  int fd_ = -1;
  std::string pending_;    // body bytes that came with the headers
  long long remaining_ = -1;  // from Content-Length; -1 = until the server closes
};

}  // namespace host
