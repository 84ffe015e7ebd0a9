#include <doctest/doctest.h>

#include <vector>

#include "backoff.h"
#include "fakes.h"
#include "heartbeat.h"

using namespace smartlock;

TEST_CASE("backoff ceilings double from base up to the cap") {
  Backoff b(1000, 60000);
  fakes::FakeRandom r;
  r.value = UINT32_MAX;  // the highest draw lands on the ceiling
  std::vector<uint32_t> got;
  for (int i = 0; i < 9; ++i) got.push_back(b.nextDelayMs(r));
  CHECK(got == std::vector<uint32_t>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000});
  r.value = 0;
  CHECK(b.nextDelayMs(r) == 0);  // full jitter reaches down to zero
  b.reset();
  r.value = UINT32_MAX;
  CHECK(b.nextDelayMs(r) == 1000);
}

TEST_CASE("backoff never overflows after many failures") {
  Backoff b(500, 30000);
  fakes::XorShiftRandom r;
  uint32_t most = 0;
  for (int i = 0; i < 100000; ++i) {
    const uint32_t d = b.nextDelayMs(r);
    most = d > most ? d : most;
  }
  CHECK_LE(most, 30000u);
  CHECK_GT(most, 29000u);
  CHECK(b.ceilingMs() == 30000);
}

TEST_CASE("backoff jitter is spread uniformly over [0, ceiling]") {
  fakes::XorShiftRandom r;
  constexpr int kDraws = 20000, kBuckets = 10;
  int buckets[kBuckets] = {};
  uint32_t lo = UINT32_MAX, hi = 0;
  for (int i = 0; i < kDraws; ++i) {
    Backoff b(10000, 10000);  // ceiling fixed at 10 s
    const uint32_t d = b.nextDelayMs(r);
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
    ++buckets[d * kBuckets / 10001];
  }
  CHECK(lo < 100);
  CHECK(hi > 9900);
  for (int n : buckets) {  // each decile within 10% of its expected 2000
    CHECK(n > 1800);
    CHECK(n < 2200);
  }
}

TEST_CASE("heartbeat is due at start, every period, and at once on request") {
  Heartbeat h(9000);
  CHECK(h.due(0));
  h.sent(0);
  CHECK_FALSE(h.due(8999));
  CHECK(h.due(9000));
  h.sent(9000);
  h.requestNow();
  CHECK(h.due(9001));
  h.sent(9001);
  CHECK_FALSE(h.due(18000));
  CHECK(h.due(18001));
}

TEST_CASE("heartbeat survives the millis() wrap") {
  Heartbeat h(9000);
  h.sent(UINT32_MAX - 1000);
  CHECK_FALSE(h.due(5000));
  CHECK(h.due(8000));
}
