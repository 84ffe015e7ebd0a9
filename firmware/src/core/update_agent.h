// The lock's side of a firmware update, as one non-blocking state machine (docs/protocol.md,
// "Firmware updates (v3)"). Its phase is persisted before every step that changes flash, so a
// power cut anywhere ends on the old image or on the new one, never on a half-written slot:
//
//   phase (persisted)  entered when                       at boot
//   Idle               nothing under way                  nothing to do
//   Writing            accepted, before erasing the slot  FAILED download (boot slot never changed)
//   Switching          image verified, before boot switch new image running: -> Trial
//                                                         old image running: ROLLED_BACK crash
//   Trial              first boot of the new image        still on trial: it rebooted unconfirmed,
//                                                         roll back (crash); confirmed: finish it;
//                                                         old image running: ROLLED_BACK crash
//   RollingBack        no welcome in 5 min (or crash)     new image running: roll back again;
//                                                         old image: ROLLED_BACK with the reason
//   Outcome            CONFIRMED / FAILED / ROLLED_BACK   report it until reported()
//
// In memory: Downloading -> Verifying -> Rebooting (restart after kRebootDelayMs, so a status
// can say so) -> [new image] Trial -> Confirmed on the first welcome of that boot.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "firmware_manifest.h"
#include "ports.h"
#include "release_key.h"
#include "update_ports.h"
#include "update_types.h"

namespace smartlock {

constexpr const char* kUpdateRecordKey = "upd";
constexpr const char* kUpdateIdKey = "updid";
constexpr const char* kArcKey = "arc";
constexpr uint32_t kRebootDelayMs = 1000;
constexpr uint32_t kDownloadStallMs = 30000;  // no byte for this long fails the download
constexpr size_t kUpdateChunk = 1024;

struct UpdateAgentConfig {
  const char* hw = nullptr;          // this lock's hardware id, as in manifests
  const char* runningFw = nullptr;   // the version of the image running now
  uint32_t trialTimeoutMs = kTrialWelcomeMs;
};

struct UpdateAgentDeps {
  FirmwareFlash& flash;
  FirmwareDownloader& downloader;
  ReleaseVerifier& verifier;
  Storage& storage;
  Clock& clock;
  Logger* logger = nullptr;
};

struct UpdateRequest {
  const char* id = nullptr;  // "upd-..."
  const char* url = nullptr;
  const char* manifest = nullptr;
  size_t manifestLen = 0;
  const char* msig = nullptr;  // 128 lowercase hex
  size_t msigLen = 0;
};

// What the lock is doing when an update arrives.
struct LockConditions {
  bool boltMoving = false;
  std::optional<uint8_t> battery;  // percent; absent = mains or unknown
};

struct UpdateProgress {
  char id[kCommandIdMax + 1] = {};  // "" when the id was lost (power cut while storing it)
  UpdState state = UpdState::Downloading;
  UpdReason reason = UpdReason::None;
};

class UpdateAgent {
 public:
  UpdateAgent(const UpdateAgentConfig& config, const UpdateAgentDeps& deps);

  // Once per power-on, before anything else: finishes or undoes what a reboot interrupted.
  void boot();
  // An authenticated update message. nullopt = accepted (ack ok): either already running this
  // version (progress() is CONFIRMED) or started. Otherwise the reason of the rejection (ack
  // rejected); nothing was written.
  std::optional<UpdReason> start(const UpdateRequest& request, const LockConditions& now);
  void loop();
  // The server welcomed this boot's hello: a trial image is confirmed and kept.
  void welcomed();

  // Flash is being written, or the lock is about to reboot: the bolt must not move.
  bool busy() const;
  // What the next status's "upd" member says; nullptr when there is nothing to say.
  const UpdateProgress* progress() const { return hasProgress_ ? &progress_ : nullptr; }
  // A status carrying a final progress (CONFIRMED, FAILED, ROLLED_BACK) was published.
  void reported();
  uint16_t storedArc() const { return arc_; }
  bool onTrial() const { return phase_ == Phase::Trial; }

  enum class Phase : uint8_t { Idle, Writing, Switching, Trial, RollingBack, Outcome };
  Phase phase() const { return phase_; }

 private:
  enum class Step : uint8_t { None, Open, Download, Verify, Reboot, Done };

  bool persist(Phase phase, UpdReason reason = UpdReason::None, UpdState outcome = UpdState::Confirmed);
  bool persistId(const char* id);
  void loadRecord();
  void fail(UpdReason reason);
  void finishOutcome(UpdState state, UpdReason reason);
  void rollBack(UpdReason reason);
  void confirm();
  void stepDownload(uint32_t now);
  void stepVerify();
  void setProgress(UpdState state, UpdReason reason = UpdReason::None);
  void log(const char* fmt, ...);

  UpdateAgentConfig cfg_;
  UpdateAgentDeps d_;
  Phase phase_ = Phase::Idle;
  Step step_ = Step::None;
  int target_ = 0;
  uint16_t arc_ = 0;        // stored anti-rollback counter
  uint16_t targetArc_ = 0;  // the manifest's, kept until confirmed
  uint16_t idHash_ = 0;
  UpdReason pendingReason_ = UpdReason::None;
  UpdState outcome_ = UpdState::Confirmed;
  Manifest manifest_;
  char url_[kUpdateUrlMax + 1] = {};
  uint32_t written_ = 0, verified_ = 0;
  uint32_t stepSince_ = 0;  // when the current step (or its last progress) began
  uint32_t bootMs_ = 0;
  bool hasProgress_ = false;
  UpdateProgress progress_;
  Sha256Stream hash_;
};

}  // namespace smartlock
