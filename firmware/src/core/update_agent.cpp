#include "update_agent.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace smartlock {
namespace {

// The record: bits 0-3 phase, 4 target slot, 8-15 reason, 16-23 outcome state, 24-39 the
// manifest's arc, 40-55 a hash of the update id (so an id stored just before a power cut is
// never reported under an older record), 56-63 layout version.
constexpr uint64_t kLayout = 1;

uint16_t hashId(const char* id) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (const char* p = id; *p != '\0'; ++p) h = (h ^ static_cast<uint8_t>(*p)) * 16777619u;
  return static_cast<uint16_t>(h ^ (h >> 16));
}

bool isIdle(UpdateAgent::Phase p) { return p == UpdateAgent::Phase::Idle || p == UpdateAgent::Phase::Outcome; }

}  // namespace

UpdateAgent::UpdateAgent(const UpdateAgentConfig& config, const UpdateAgentDeps& deps) : cfg_(config), d_(deps) {}

void UpdateAgent::log(const char* fmt, ...) {
  if (d_.logger == nullptr) return;
  char line[160];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(line, sizeof line, fmt, args);
  va_end(args);
  d_.logger->log(line);
}

bool UpdateAgent::persist(Phase phase, UpdReason reason, UpdState outcome) {
  const uint64_t v = kLayout << 56 | static_cast<uint64_t>(idHash_) << 40 | static_cast<uint64_t>(targetArc_) << 24 |
                     static_cast<uint64_t>(outcome) << 16 | static_cast<uint64_t>(reason) << 8 |
                     static_cast<uint64_t>(target_ & 1) << 4 | static_cast<uint64_t>(phase);
  phase_ = phase;  // in memory even if storing failed: this boot still acts on it
  pendingReason_ = reason;
  outcome_ = outcome;
  return d_.storage.store(kUpdateRecordKey, v);
}

void UpdateAgent::loadRecord() {
  const std::optional<uint64_t> arc = d_.storage.load(kArcKey);
  arc_ = arc && *arc <= 0xffff ? static_cast<uint16_t>(*arc) : 0;
  const std::optional<uint64_t> v = d_.storage.load(kUpdateRecordKey);
  phase_ = Phase::Idle;
  if (!v || (*v >> 56) != kLayout) return;
  const uint64_t phase = *v & 0xf, reason = (*v >> 8) & 0xff, outcome = (*v >> 16) & 0xff;
  if (phase > static_cast<uint64_t>(Phase::Outcome) || reason > static_cast<uint64_t>(UpdReason::Crash) ||
      outcome > static_cast<uint64_t>(UpdState::RolledBack)) {
    return;
  }
  phase_ = static_cast<Phase>(phase);
  target_ = static_cast<int>((*v >> 4) & 1);
  pendingReason_ = static_cast<UpdReason>(reason);
  outcome_ = static_cast<UpdState>(outcome);
  targetArc_ = static_cast<uint16_t>((*v >> 24) & 0xffff);
  idHash_ = static_cast<uint16_t>((*v >> 40) & 0xffff);
  char id[kCommandIdMax + 1] = {};
  if (d_.storage.loadText(kUpdateIdKey, id, sizeof id) && hashId(id) == idHash_) {
    std::memcpy(progress_.id, id, sizeof id);
  } else {
    progress_.id[0] = '\0';
  }
}

void UpdateAgent::setProgress(UpdState state, UpdReason reason) {
  progress_.state = state;
  progress_.reason = reason;
  hasProgress_ = true;
}

void UpdateAgent::finishOutcome(UpdState state, UpdReason reason) {
  persist(Phase::Outcome, reason, state);
  step_ = Step::Done;
  setProgress(state, reason);
  log("update %s: %s %s", progress_.id, nameOf(state), nameOf(reason));
}

void UpdateAgent::fail(UpdReason reason) {
  if (step_ == Step::Download || step_ == Step::Open) d_.downloader.close();
  if (step_ == Step::Download || step_ == Step::Verify) d_.flash.abort();
  finishOutcome(UpdState::Failed, reason);
}

void UpdateAgent::rollBack(UpdReason reason) {
  // Persisted first: if the power goes now, the next boot rolls back again with this reason.
  persist(Phase::RollingBack, reason);
  step_ = Step::Reboot;
  log("update %s: rolling back (%s)", progress_.id, nameOf(reason));
  d_.flash.rollback();
}

void UpdateAgent::confirm() {
  if (!d_.flash.markValid()) {
    log("update %s: could not mark the image valid", progress_.id);
    return;  // stays on trial: the timeout rolls it back
  }
  if (targetArc_ > arc_) {
    if (!d_.storage.store(kArcKey, targetArc_)) {
      log("update %s: could not store arc %u", progress_.id, static_cast<unsigned>(targetArc_));
      return;  // the image is valid; the next boot finds Trial + valid and stores it then
    }
    arc_ = targetArc_;
  }
  finishOutcome(UpdState::Confirmed, UpdReason::None);
}

void UpdateAgent::boot() {
  bootMs_ = d_.clock.millis();
  loadRecord();
  const bool onTarget = d_.flash.runningSlot() == target_;
  switch (phase_) {
    case Phase::Idle:
      // An image nobody put on trial (flashed over USB, say) must not be rolled back later.
      if (d_.flash.runningIsPending()) d_.flash.markValid();
      return;
    case Phase::Outcome:
      if (d_.flash.runningIsPending()) d_.flash.markValid();
      setProgress(outcome_, pendingReason_);
      return;
    case Phase::Writing:
      finishOutcome(UpdState::Failed, UpdReason::Download);  // the boot slot never changed
      return;
    case Phase::Switching:
      if (!onTarget) {
        finishOutcome(UpdState::RolledBack, UpdReason::Crash);
        return;
      }
      persist(Phase::Trial);
      step_ = Step::None;
      setProgress(UpdState::Trial);
      log("update %s: new image on trial, waiting for a welcome", progress_.id);
      return;
    case Phase::Trial:
      if (!onTarget) {
        finishOutcome(UpdState::RolledBack, UpdReason::Crash);  // the bootloader rolled back
      } else if (d_.flash.runningIsPending()) {
        setProgress(UpdState::Trial);
        rollBack(UpdReason::Crash);  // rebooted before confirming
      } else {
        setProgress(UpdState::Trial);
        confirm();  // the power went between marking it valid and recording that
      }
      return;
    case Phase::RollingBack:
      if (onTarget) {
        setProgress(UpdState::Trial);
        rollBack(pendingReason_);
      } else {
        finishOutcome(UpdState::RolledBack, pendingReason_);
      }
      return;
  }
}

std::optional<UpdReason> UpdateAgent::start(const UpdateRequest& r, const LockConditions& now) {
  if (!isIdle(phase_) || step_ == Step::Reboot) return UpdReason::Busy;
  ReleaseSig sig{};
  if (!parseLowerHex(r.msig, r.msigLen, sig.data(), sig.size()) || r.manifest == nullptr ||
      !d_.verifier.verify(r.manifest, r.manifestLen, sig)) {
    return UpdReason::BadSignature;
  }
  Manifest m;
  if (!parseManifest(r.manifest, r.manifestLen, m)) return UpdReason::BadSignature;  // signed nonsense
  if (cfg_.hw == nullptr || std::strcmp(m.hw, cfg_.hw) != 0) return UpdReason::WrongHw;
  if (r.id == nullptr || std::strlen(r.id) > kCommandIdMax || r.url == nullptr || std::strlen(r.url) > kUpdateUrlMax) {
    return UpdReason::Download;  // the codec has checked both already
  }
  if (cfg_.runningFw != nullptr && std::strcmp(m.fw, cfg_.runningFw) == 0) {
    std::strcpy(progress_.id, r.id);
    idHash_ = hashId(r.id);
    targetArc_ = m.arc;
    persistId(r.id);
    finishOutcome(UpdState::Confirmed, UpdReason::None);
    return std::nullopt;
  }
  if (m.arc < arc_) return UpdReason::Downgrade;
  if (m.size > d_.flash.slotSize()) return UpdReason::TooBig;
  if (now.boltMoving) return UpdReason::Busy;
  if (now.battery && *now.battery < kUpdateBatteryMin) return UpdReason::BatteryLow;

  manifest_ = m;
  std::strcpy(url_, r.url);
  std::strcpy(progress_.id, r.id);
  idHash_ = hashId(r.id);
  targetArc_ = m.arc;
  target_ = 1 - d_.flash.runningSlot();
  // The id first, then the record naming its hash: a cut between them leaves the old record.
  if (!persistId(r.id) || !persist(Phase::Writing)) {
    persist(Phase::Idle);
    return UpdReason::Flash;
  }
  written_ = verified_ = 0;
  step_ = Step::Open;
  stepSince_ = d_.clock.millis();
  setProgress(UpdState::Downloading);
  log("update %s: %s -> %s, slot %d", r.id, cfg_.runningFw ? cfg_.runningFw : "?", m.fw, target_);
  return std::nullopt;
}

bool UpdateAgent::persistId(const char* id) { return d_.storage.storeText(kUpdateIdKey, id); }

void UpdateAgent::stepDownload(uint32_t now) {
  uint8_t buf[kUpdateChunk];
  const int32_t n = d_.downloader.read(buf, sizeof buf);
  if (n == FirmwareDownloader::kError) return fail(UpdReason::Download);
  if (n == FirmwareDownloader::kEnd) {
    d_.downloader.close();
    if (written_ < manifest_.size) return fail(UpdReason::Truncated);
    step_ = Step::Verify;  // before finish(), so fail() aborts the write
    if (!d_.flash.finish()) return fail(UpdReason::Flash);
    setProgress(UpdState::Verifying);
    stepSince_ = now;
    return;
  }
  if (n == 0) {
    if (now - stepSince_ >= kDownloadStallMs) fail(UpdReason::Download);
    return;
  }
  const uint32_t len = static_cast<uint32_t>(n);
  if (len > manifest_.size - written_) return fail(UpdReason::TooBig);  // longer than signed
  if (!d_.flash.write(buf, len)) return fail(UpdReason::Flash);
  written_ += len;
  stepSince_ = now;
}

void UpdateAgent::stepVerify() {
  // Hash what the slot holds now, not what was sent: a bad write shows up here.
  uint8_t buf[kUpdateChunk];
  const uint32_t left = manifest_.size - verified_;
  const size_t n = left < sizeof buf ? left : sizeof buf;
  if (!d_.flash.read(target_, verified_, buf, n)) return fail(UpdReason::Flash);
  hash_.update(buf, n);
  verified_ += static_cast<uint32_t>(n);
  if (verified_ < manifest_.size) return;
  step_ = Step::Done;
  if (hash_.finish() != manifest_.sha256) return finishOutcome(UpdState::Failed, UpdReason::BadHash);
  if (!persist(Phase::Switching)) return finishOutcome(UpdState::Failed, UpdReason::Flash);
  if (!d_.flash.setBootSlot(target_)) return finishOutcome(UpdState::Failed, UpdReason::Flash);
  step_ = Step::Reboot;
  stepSince_ = d_.clock.millis();
  setProgress(UpdState::Rebooting);
  log("update %s: verified, rebooting into slot %d", progress_.id, target_);
}

void UpdateAgent::loop() {
  const uint32_t now = d_.clock.millis();
  switch (step_) {
    case Step::Open:
      if (!d_.flash.begin(target_, manifest_.size)) return fail(UpdReason::Flash);
      step_ = Step::Download;  // from here fail() closes the download and aborts the write
      if (!d_.downloader.open(url_)) return fail(UpdReason::Download);
      stepSince_ = now;
      return;
    case Step::Download:
      return stepDownload(now);
    case Step::Verify:
      return stepVerify();
    case Step::Reboot:
      if (phase_ == Phase::Switching && now - stepSince_ >= kRebootDelayMs) {
        step_ = Step::Done;
        d_.flash.restart();
      }
      return;
    case Step::None:
    case Step::Done:
      break;
  }
  if (phase_ == Phase::Trial && now - bootMs_ >= cfg_.trialTimeoutMs) rollBack(UpdReason::NoWelcome);
}

void UpdateAgent::welcomed() {
  if (phase_ == Phase::Trial && step_ != Step::Reboot) confirm();
}

bool UpdateAgent::busy() const {
  return step_ == Step::Open || step_ == Step::Download || step_ == Step::Verify || step_ == Step::Reboot;
}

void UpdateAgent::reported() {
  if (phase_ != Phase::Outcome) return;
  hasProgress_ = false;
  persist(Phase::Idle);
}

}  // namespace smartlock
