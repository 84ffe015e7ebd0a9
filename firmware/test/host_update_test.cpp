// The virtual lock's update ports for real: HttpDownloader against a one-shot HTTP server on a
// loopback socket, FileFlash on files in a temporary directory, and the UpdateAgent over both,
// with "reboots" that rebuild FileFlash from its files (as the re-executed virtual lock does).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "file_flash.h"
#include "host_ports.h"
#include "http_downloader.h"
#include "update_fakes.h"

using namespace smartlock;

namespace {

// Answers one GET with the given raw response, then closes.
struct OneShotServer {
  int listenFd = -1;
  int port = 0;
  std::thread thread;
  std::string request;
  explicit OneShotServer(std::string response) {
    listenFd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listenFd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listenFd, 1) == 0);
    socklen_t len = sizeof a;
    ::getsockname(listenFd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    thread = std::thread([this, response] {
      const int c = ::accept(listenFd, nullptr, nullptr);
      if (c < 0) return;
      char buf[2048];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      ::send(c, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(c);
    });
  }
  ~OneShotServer() {
    ::shutdown(listenFd, SHUT_RDWR);
    if (thread.joinable()) thread.join();
    ::close(listenFd);
  }
  std::string url(const std::string& path = "/firmware/1.1.0.bin") const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

std::string ok200(const std::string& body, long long contentLength = -1) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
         std::to_string(contentLength < 0 ? static_cast<long long>(body.size()) : contentLength) + "\r\n\r\n" + body;
}

std::string readAll(host::HttpDownloader& d, int32_t& last) {
  std::string out;
  uint8_t buf[16];
  for (int i = 0; i < 10000; ++i) {
    last = d.read(buf, sizeof buf);
    if (last < 0) break;
    out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(last));
  }
  return out;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/smartlock-ota-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

const char kFactory[] = "smartlock-virtual-image fw=1.0.0\nfactory\n";

}  // namespace

TEST_CASE("http downloader: a 200 body is read to its Content-Length, then the end") {
  const std::string body = "smartlock-virtual-image fw=1.1.0\n" + std::string(100, 'x');
  OneShotServer server(ok200(body));
  host::HttpDownloader d;
  REQUIRE(d.open(server.url().c_str()));
  int32_t last = 0;
  CHECK(readAll(d, last) == body);
  CHECK(last == FirmwareDownloader::kEnd);
  d.close();
  CHECK(server.request.rfind("GET /firmware/1.1.0.bin HTTP/1.1\r\n", 0) == 0);
}

TEST_CASE("http downloader: a body cut short of its Content-Length ends early; 404 and https do not open") {
  {
    OneShotServer server(ok200("only part", 1000));
    host::HttpDownloader d;
    REQUIRE(d.open(server.url().c_str()));
    int32_t last = 0;
    CHECK(readAll(d, last) == "only part");
    CHECK(last == FirmwareDownloader::kEnd);
  }
  {
    OneShotServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    host::HttpDownloader d;
    CHECK_FALSE(d.open(server.url().c_str()));
  }
  host::HttpDownloader d;
  CHECK_FALSE(d.open("https://127.0.0.1:1/a.bin"));
  CHECK_FALSE(d.open("http://127.0.0.1:1/a.bin"));  // refused
}

TEST_CASE("file flash: the emulated bootloader keeps a confirmed image and drops an unconfirmed one") {
  TempDir dir;
  {
    host::FileFlash f(dir.path, kFactory);
    REQUIRE(f.powerOn());
    CHECK(f.runningSlot() == 0);
    CHECK(host::fwOfImage(f.runningImage()) == "1.0.0");
    const std::string img = "smartlock-virtual-image fw=2.0.0\n";
    REQUIRE(f.begin(1, static_cast<uint32_t>(img.size())));
    CHECK_FALSE(f.setBootSlot(1));  // half-written: not bootable
    REQUIRE(f.write(reinterpret_cast<const uint8_t*>(img.data()), img.size()));
    REQUIRE(f.finish());
    REQUIRE(f.setBootSlot(1));
  }
  {
    host::FileFlash f(dir.path, kFactory);  // "reboot"
    REQUIRE(f.powerOn());
    CHECK(f.runningSlot() == 1);
    CHECK(f.runningIsPending());
    CHECK(host::fwOfImage(f.runningImage()) == "2.0.0");
  }
  {
    host::FileFlash f(dir.path, kFactory);  // rebooted without confirming
    REQUIRE(f.powerOn());
    CHECK(f.runningSlot() == 0);
    CHECK_FALSE(f.runningIsPending());
    CHECK(host::fwOfImage(f.runningImage()) == "1.0.0");
  }
}

TEST_CASE("host update: the vectors' image is served over HTTP, written to a slot file, tried and confirmed") {
  TempDir dir;
  updfakes::Device vec;  // only for the vectors
  const std::string image(vec.newImage.begin(), vec.newImage.end());
  const auto& c = updfakes::vectorCase(vec.vectors, "valid release");
  OneShotServer server(ok200(image));
  const std::string url = server.url();

  host::FileStorage storage(dir.path);
  fakes::FakeClock clock;
  host::HttpDownloader downloader;
  EcdsaReleaseVerifier verifier(updfakes::publicKeyOf(vec.vectors));
  auto bootOnce = [&](std::unique_ptr<host::FileFlash>& flash, std::unique_ptr<UpdateAgent>& agent, std::string& fw) {
    agent.reset();
    flash = std::make_unique<host::FileFlash>(dir.path + "/ota", kFactory);
    REQUIRE(flash->powerOn());
    fw = host::fwOfImage(flash->runningImage());
    UpdateAgentConfig cfg;
    cfg.hw = "esp32";
    cfg.runningFw = fw.c_str();
    agent = std::make_unique<UpdateAgent>(cfg, UpdateAgentDeps{*flash, downloader, verifier, storage, clock});
    agent->boot();
  };
  std::unique_ptr<host::FileFlash> flash;
  std::unique_ptr<UpdateAgent> agent;
  std::string fw;
  bootOnce(flash, agent, fw);
  REQUIRE(fw == "1.0.0");
  UpdateRequest r;
  r.id = "upd-1";
  r.url = url.c_str();
  r.manifest = c["manifest"].str.c_str();
  r.manifestLen = c["manifest"].str.size();
  r.msig = c["msig"].str.c_str();
  r.msigLen = c["msig"].str.size();
  REQUIRE(agent->start(r, LockConditions{}) == std::nullopt);
  for (int i = 0; i < 2000 && !flash->rebootRequested(); ++i) {
    agent->loop();
    clock.advance(10);
  }
  REQUIRE(flash->rebootRequested());
  bootOnce(flash, agent, fw);
  CHECK(fw == "1.1.0");
  REQUIRE(agent->onTrial());
  agent->welcomed();
  CHECK(agent->progress()->state == UpdState::Confirmed);
  CHECK(storage.load("arc") == 2u);
  bootOnce(flash, agent, fw);
  CHECK(fw == "1.1.0");  // kept
  CHECK_FALSE(flash->runningIsPending());
}
