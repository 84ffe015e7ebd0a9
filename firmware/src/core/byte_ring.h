// A fixed-capacity FIFO of bytes: nothing is allocated, a full ring takes nothing more.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace smartlock {

template <size_t N>
class ByteRing {
 public:
  size_t size() const { return size_; }
  size_t free() const { return N - size_; }

  // Copies in as much as fits; returns how much did.
  size_t push(const uint8_t* data, size_t n) {
    size_t i = 0;
    for (; i < n && size_ < N; ++i) {
      buf_[(head_ + size_) % N] = data[i];
      ++size_;
    }
    return i;
  }
  bool push(uint8_t b) { return push(&b, 1) == 1; }

  // Copies out and removes up to cap bytes; returns how many.
  size_t pop(uint8_t* out, size_t cap) {
    size_t i = 0;
    for (; i < cap && size_ > 0; ++i) {
      out[i] = buf_[head_];
      head_ = (head_ + 1) % N;
      --size_;
    }
    return i;
  }
  int peek() const { return size_ > 0 ? buf_[head_] : -1; }

  // The oldest bytes that lie contiguously in memory (a socket write can take them as they are);
  // drop(n) then removes n of them.
  const uint8_t* front(size_t& len) const {
    len = head_ + size_ <= N ? size_ : N - head_;
    return buf_.data() + head_;
  }
  void drop(size_t n) {
    if (n > size_) n = size_;
    head_ = (head_ + n) % N;
    size_ -= n;
  }

 private:
  std::array<uint8_t, N> buf_{};
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace smartlock
