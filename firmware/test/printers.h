// Lets doctest print the core's enums and optionals in failure messages.
#pragma once
#include <optional>
#include <ostream>

#include "led_actuator.h"
#include "lock_app.h"
#include "protocol.h"

namespace smartlock {
inline std::ostream& operator<<(std::ostream& o, Action v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, LockStatus v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, Power v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, DoorState v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, BoltSource v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, BootMode v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, AckResult v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, RejectReason v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, Indication v) { return o << nameOf(v); }
inline std::ostream& operator<<(std::ostream& o, MoveState v) { return o << static_cast<int>(v); }
inline std::ostream& operator<<(std::ostream& o, NetState v) { return o << static_cast<int>(v); }
template <typename T>
std::ostream& operator<<(std::ostream& o, const std::optional<T>& v) {
  if (!v) return o << "nullopt";
  return o << *v;
}
}  // namespace smartlock
