#include "http_downloader.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>

namespace host {
namespace {

bool splitUrl(const std::string& url, std::string& host, std::string& port, std::string& path) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) return false;
  const size_t hostStart = scheme.size();
  const size_t pathStart = url.find('/', hostStart);
  const std::string authority = url.substr(hostStart, pathStart == std::string::npos ? std::string::npos : pathStart - hostStart);
  path = pathStart == std::string::npos ? "/" : url.substr(pathStart);
  const size_t colon = authority.rfind(':');
  host = colon == std::string::npos ? authority : authority.substr(0, colon);
  port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  return !host.empty() && !port.empty();
}

}  // namespace

bool HttpDownloader::open(const char* url) {
  close();
  std::string host, port, path;
  if (url == nullptr || !splitUrl(url, host, port, path)) {
    std::fprintf(stderr, "[update] only http:// URLs are downloaded by the virtual lock: %s\n", url ? url : "");
    return false;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) return false;
  for (addrinfo* a = res; a != nullptr && fd_ < 0; a = a->ai_next) {
    fd_ = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd_ >= 0 && ::connect(fd_, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ::freeaddrinfo(res);
  if (fd_ < 0) return false;
  timeval tv{10, 0};  // a server that stops answering fails the download instead of hanging the lock
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port +
                          "\r\nUser-Agent: smartlock-virtual-lock\r\nConnection: close\r\n\r\n";
  if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()) || !readHeaders()) {
    close();
    return false;
  }
  return true;
}

bool HttpDownloader::readHeaders() {
  std::string head;
  char buf[1024];
  size_t end;
  while ((end = head.find("\r\n\r\n")) == std::string::npos) {
    if (head.size() > 16384) return false;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    head.append(buf, static_cast<size_t>(n));
  }
  pending_ = head.substr(end + 4);
  head.resize(end);
  int status = 0;
  if (std::sscanf(head.c_str(), "HTTP/1.%*d %d", &status) != 1 || status != 200) {
    std::fprintf(stderr, "[update] download answered HTTP %d\n", status);
    return false;
  }
  remaining_ = -1;
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    const char* line = head.c_str() + pos;
    if (strncasecmp(line, "content-length:", 15) == 0) remaining_ = std::atoll(line + 15);
    if (strncasecmp(line, "transfer-encoding:", 18) == 0) {
      std::fprintf(stderr, "[update] chunked bodies are not supported by the virtual lock\n");
      return false;
    }
  }
  return true;
}

int32_t HttpDownloader::read(uint8_t* buf, size_t cap) {
  if (fd_ < 0) return kError;
  if (remaining_ == 0) return kEnd;
  if (remaining_ > 0 && static_cast<long long>(cap) > remaining_) cap = static_cast<size_t>(remaining_);
  size_t n = 0;
  if (!pending_.empty()) {
    n = pending_.size() < cap ? pending_.size() : cap;
    std::memcpy(buf, pending_.data(), n);
    pending_.erase(0, n);
  } else {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) == 0) return 0;  // nothing yet: the agent times a stall out
    const ssize_t got = ::recv(fd_, buf, cap, 0);
    if (got == 0) return kEnd;  // closed: short of Content-Length means truncated
    if (got < 0) return kError;
    n = static_cast<size_t>(got);
  }
  if (remaining_ > 0) remaining_ -= static_cast<long long>(n);
  return static_cast<int32_t>(n);
}

void HttpDownloader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_.clear();
}

}  // namespace host
