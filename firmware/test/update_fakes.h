// Fakes for the firmware-update tests: two flash slots behind an emulated ESP-IDF bootloader
// (rollback enabled), a scripted downloader, and a power rail that can cut at any numbered step.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fakes.h"
#include "mini_json.h"
#include "update_agent.h"

namespace updfakes {
using namespace smartlock;

struct PowerCut {};

// Every durable effect (flash or storage) is one numbered step; the step numbered cutAt never
// happens: the power goes just before it.
struct PowerRail {
  int steps = 0;
  int cutAt = -1;
  std::vector<std::string> log;
  void step(const std::string& what) {
    if (steps == cutAt) {
      cutAt = -1;
      throw PowerCut{};
    }
    ++steps;
    log.push_back(what);
  }
};

struct RailStorage : Storage {
  PowerRail* rail;
  std::map<std::string, uint64_t> values;
  std::map<std::string, std::string> texts;
  bool failWrites = false;
  explicit RailStorage(PowerRail* r) : rail(r) {}
  std::optional<uint64_t> load(const char* key) override {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  bool store(const char* key, uint64_t value) override {
    if (failWrites) return false;
    rail->step(std::string("store ") + key);
    values[key] = value;
    return true;
  }
  bool storeText(const char* key, const char* value) override {
    if (failWrites) return false;
    rail->step(std::string("storeText ") + key);
    texts[key] = value;
    return true;
  }
  bool loadText(const char* key, char* out, size_t cap) override {
    auto it = texts.find(key);
    if (it == texts.end() || it->second.size() >= cap) return false;
    it->second.copy(out, it->second.size());
    out[it->second.size()] = '\0';
    return true;
  }
};

// ESP-IDF otadata states of a slot, as the bootloader with rollback enabled uses them.
enum class Ota { Valid, New, Pending, Invalid };

struct FakeSlot {
  std::vector<uint8_t> data;
  bool complete = false;  // esp_ota_end accepted it
  Ota state = Ota::Invalid;
};

struct FakeFlash : FirmwareFlash {
  PowerRail* rail;
  FakeSlot slots[2];
  int bootSlot = 0;  // what otadata selects
  int running = 0;
  int writing = -1;
  uint32_t capacity = 4096;
  bool rebootRequested = false;
  bool flipWrittenByte = false;  // a bad flash: the slot holds something else than what was sent
  int boots = 0;
  explicit FakeFlash(PowerRail* r) : rail(r) {}

  // The bootloader: NEW boots once as PENDING; PENDING again means the image never confirmed
  // itself, so it is invalidated and the other slot boots. Returns the slot it boots.
  int powerOn() {
    int s = bootSlot;
    if (slots[s].state == Ota::Pending) {
      slots[s].state = Ota::Invalid;
      s = 1 - s;
      bootSlot = s;
    } else if (slots[s].state == Ota::Invalid || !slots[s].complete) {
      s = 1 - s;
      bootSlot = s;
    }
    if (slots[s].state == Ota::New) slots[s].state = Ota::Pending;
    REQUIRE_MESSAGE(slots[s].complete, "bricked: the bootloader found no complete image");
    REQUIRE_MESSAGE(slots[s].state != Ota::Invalid, "bricked: only an invalid image is left");
    running = s;
    writing = -1;
    rebootRequested = false;
    ++boots;
    return s;
  }

  int runningSlot() override { return running; }
  bool runningIsPending() override { return slots[running].state == Ota::Pending; }
  uint32_t slotSize() override { return capacity; }
  bool begin(int slot, uint32_t size) override {
    if (slot == running || size > capacity) return false;
    rail->step("flash begin");
    slots[slot] = FakeSlot{};
    writing = slot;
    return true;
  }
  bool write(const uint8_t* data, size_t n) override {
    if (writing < 0) return false;
    rail->step("flash write");
    auto& d = slots[writing].data;
    d.insert(d.end(), data, data + n);
    if (flipWrittenByte && !d.empty()) {
      d[0] ^= 1;
      flipWrittenByte = false;
    }
    return true;
  }
  bool finish() override {
    if (writing < 0) return false;
    rail->step("flash finish");
    slots[writing].complete = true;
    writing = -1;
    return true;
  }
  void abort() override { writing = -1; }
  bool read(int slot, uint32_t offset, uint8_t* out, size_t n) override {
    const auto& d = slots[slot].data;
    if (offset + n > d.size()) return false;
    std::copy(d.begin() + offset, d.begin() + offset + static_cast<long>(n), out);
    return true;
  }
  bool setBootSlot(int slot) override {
    if (!slots[slot].complete) return false;  // esp_ota_set_boot_partition checks the image
    rail->step("flash set boot");
    slots[slot].state = Ota::New;
    bootSlot = slot;
    return true;
  }
  bool markValid() override {
    rail->step("flash mark valid");
    slots[running].state = Ota::Valid;
    return true;
  }
  void rollback() override {
    rail->step("flash rollback");
    slots[running].state = Ota::Invalid;
    bootSlot = 1 - running;
    rebootRequested = true;
  }
  void restart() override { rebootRequested = true; }
};

struct FakeDownloader : FirmwareDownloader {
  std::vector<uint8_t> body;
  size_t chunk = 16;
  size_t pos = 0;
  bool open_ = false;
  bool refuse = false;            // open() fails (404, refused)
  long errorAt = -1;              // the connection breaks after this many bytes
  long endAt = -1;                // the server closes early after this many bytes (truncated)
  bool stall = false;             // nothing ever arrives
  std::vector<std::string> urls;
  bool open(const char* url) override {
    urls.push_back(url);
    if (refuse) return false;
    open_ = true;
    pos = 0;
    return true;
  }
  int32_t read(uint8_t* buf, size_t cap) override {
    REQUIRE(open_);
    if (stall) return 0;
    if (errorAt >= 0 && pos >= static_cast<size_t>(errorAt)) return kError;
    const size_t limit = endAt >= 0 ? static_cast<size_t>(endAt) : body.size();
    if (pos >= limit) return kEnd;
    size_t n = std::min({cap, chunk, limit - pos});
    std::copy(body.begin() + static_cast<long>(pos), body.begin() + static_cast<long>(pos + n), buf);
    pos += n;
    return static_cast<int32_t>(n);
  }
  void close() override { open_ = false; }
};

inline std::vector<uint8_t> bytesOfHex(const std::string& hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  REQUIRE(parseLowerHex(hex.data(), hex.size(), out.data(), out.size()));
  return out;
}

inline minijson::Value loadUpdateVectors() {
  std::ifstream in("../../docs/firmware-update-vectors.json");
  if (!in) in.open("../docs/firmware-update-vectors.json");
  REQUIRE_MESSAGE(in.good(), "run the tests from firmware/test (make unit does)");
  std::stringstream ss;
  ss << in.rdbuf();
  return minijson::Parser(ss.str()).parse();
}

inline const minijson::Value& vectorCase(const minijson::Value& v, const std::string& prefix) {
  for (const auto& c : v["cases"].items) {
    if (c["name"].str.rfind(prefix, 0) == 0) return c;
  }
  FAIL("no vector case named " << prefix);
  throw std::runtime_error("unreachable");
}

inline ReleasePublicKey publicKeyOf(const minijson::Value& v) {
  ReleasePublicKey k{};
  const std::string& hex = v["publicKeyHex"].str;
  REQUIRE(parseReleasePublicKey(hex.data(), hex.size(), k));
  return k;
}

// The version an image says it is: its first line is "smartlock-virtual-image fw=<version>".
inline std::string fwOfImage(const std::vector<uint8_t>& image) {
  const std::string s(image.begin(), image.end());
  const std::string tag = "smartlock-virtual-image fw=";
  if (s.rfind(tag, 0) != 0) return "";
  return s.substr(tag.size(), s.find('\n') - tag.size());
}

inline std::vector<uint8_t> oldImage() {
  const std::string s = "smartlock-virtual-image fw=1.0.0\nthe image the lock shipped with\n";
  return std::vector<uint8_t>(s.begin(), s.end());
}

// One lock: what survives a power cut (flash, storage) plus a fresh agent per boot.
struct Device {
  minijson::Value vectors = loadUpdateVectors();
  PowerRail rail;
  RailStorage storage{&rail};
  FakeFlash flash{&rail};
  FakeDownloader downloader;
  fakes::FakeClock clock;
  EcdsaReleaseVerifier verifier{publicKeyOf(vectors)};
  std::string fw;
  std::unique_ptr<UpdateAgent> agent;
  std::vector<uint8_t> newImage = bytesOfHex(vectors["image"]["hex"].str);

  Device() {
    flash.slots[0].data = oldImage();
    flash.slots[0].complete = true;
    flash.slots[0].state = Ota::Valid;
    downloader.body = newImage;
  }

  void powerOn() {
    const int slot = flash.powerOn();
    fw = fwOfImage(flash.slots[slot].data);
    clock.nowMs += 5000;  // a boot takes a while; the agent times its trial from boot()
    UpdateAgentConfig cfg;
    cfg.hw = "esp32";
    cfg.runningFw = fw.c_str();
    agent = std::make_unique<UpdateAgent>(cfg, UpdateAgentDeps{flash, downloader, verifier, storage, clock});
    agent->boot();
  }

  // The update message of a vector case, as the codec hands it over.
  std::optional<UpdReason> start(const std::string& casePrefix, LockConditions now = {}) {
    const auto& c = vectorCase(vectors, casePrefix);
    UpdateRequest r;
    r.id = "upd-0b7e6f0e-2f6c-4a53-9a0e-6a4f3f1d2c11";
    r.url = "http://127.0.0.1:8080/firmware/1.1.0.bin";
    r.manifest = c["manifest"].str.c_str();
    r.manifestLen = c["manifest"].str.size();
    r.msig = c["msig"].str.c_str();
    r.msigLen = c["msig"].str.size();
    return agent->start(r, now);
  }

  // Downloads, verifies and reboots into the new image, with no welcome: ends on trial.
  void runToTrial() {
    for (int i = 0; i < 1000 && !flash.rebootRequested; ++i) {
      agent->loop();
      clock.advance(100);
    }
    REQUIRE(flash.rebootRequested);
    powerOn();
  }

  // Runs loop() (rebooting when asked) until the agent has a final outcome. welcome: the server
  // welcomes every boot's hello at once.
  void run(bool welcome = true, uint32_t stepMs = 100, int maxLoops = 20000) {
    for (int i = 0; i < maxLoops; ++i) {
      if (flash.rebootRequested) powerOn();
      if (welcome && agent->onTrial()) agent->welcomed();
      const UpdateProgress* p = agent->progress();
      if (agent->phase() == UpdateAgent::Phase::Idle || (p != nullptr && agent->phase() == UpdateAgent::Phase::Outcome)) {
        return;
      }
      agent->loop();
      clock.advance(stepMs);
    }
    FAIL("the update never settled");
  }

  std::string state() const {
    const UpdateProgress* p = agent->progress();
    if (p == nullptr) return "none";
    std::string s = nameOf(p->state);
    if (p->reason != UpdReason::None) s += std::string(" ") + nameOf(p->reason);
    return s;
  }
};

}  // namespace updfakes
