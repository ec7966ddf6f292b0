#pragma once
// The duplicate-id set: open addressing over 64-bit id hashes in anonymous,
// huge-page memory. Internal to merit_pool (src/pool): not installed.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <utility>

namespace merit::pool::internal {

/// A zero-filled array of trivially copyable T in anonymous memory, in huge
/// pages where the kernel grants them: random access over a table of
/// millions of slots then misses the TLB far less.
template <class T>
class zeroed_array {
 public:
  zeroed_array() = default;
  explicit zeroed_array(std::size_t n) : n_(n), bytes_(n * sizeof(T)) {
    if (n == 0) return;
    void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    if (bytes_ >= (std::size_t(2) << 20)) ::madvise(p, bytes_, MADV_HUGEPAGE);  // a hint: no error if refused
    p_ = static_cast<T*>(p);
  }
  zeroed_array(zeroed_array&& o) noexcept { swap(o); }
  zeroed_array& operator=(zeroed_array&& o) noexcept {
    zeroed_array(std::move(o)).swap(*this);
    return *this;
  }
  ~zeroed_array() {
    if (p_) ::munmap(p_, bytes_);
  }
  void swap(zeroed_array& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    std::swap(bytes_, o.bytes_);
  }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  std::size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  std::size_t n_ = 0, bytes_ = 0;
};

/// Open-addressing set of 64-bit id hashes; with `with_index`, each slot also
/// keeps the candidate's index so that equal hashes are confirmed on the ids.
class id_set {
 public:
  explicit id_set(bool with_index) : with_index_(with_index) { rehash(1 << 16); }

  /// Makes room for `n` ids at once (no rehash on the way there).
  void reserve(std::size_t n) {
    std::size_t slots = hash_.size();
    while (n * 4 > slots * 3) slots *= 2;
    if (slots > hash_.size()) rehash(slots);
  }

  /// Inserts; returns the index of the earlier equal id (or SIZE_MAX when
  /// fresh). Without indices, an equal hash counts as equal (returns 0).
  template <class IdOf>
  std::size_t insert(std::uint64_t h, std::string_view id, std::size_t index, const IdOf& id_of) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((used_ + 1) * 4 > hash_.size() * 3) rehash(hash_.size() * 2);
    std::size_t s = h & (hash_.size() - 1);
    for (;; s = (s + 1) & (hash_.size() - 1)) {
      if (hash_[s] == 0) break;
      if (hash_[s] != h) continue;
      if (!with_index_) return 0;
      if (id_of(index_[s]) == id) return index_[s];
    }
    hash_[s] = h;
    if (with_index_) index_[s] = index;
    ++used_;
    return SIZE_MAX;
  }

  /// Hints the cache about the slot where `h` will be looked up.
  void prefetch(std::uint64_t h) const {
    if (h == 0) h = 1;
    const std::size_t s = h & (hash_.size() - 1);
    __builtin_prefetch(&hash_[s]);
    if (with_index_) __builtin_prefetch(&index_[s]);
  }

 private:
  void rehash(std::size_t n) {
    zeroed_array<std::uint64_t> old_hash(n);
    zeroed_array<std::size_t> old_index(with_index_ ? n : 0);
    old_hash.swap(hash_);
    old_index.swap(index_);
    for (std::size_t k = 0; k < old_hash.size(); ++k) {
      if (old_hash[k] == 0) continue;
      std::size_t s = old_hash[k] & (n - 1);
      while (hash_[s] != 0) s = (s + 1) & (n - 1);
      hash_[s] = old_hash[k];
      if (with_index_) index_[s] = old_index[k];
    }
  }
  bool with_index_;
  zeroed_array<std::uint64_t> hash_;
  zeroed_array<std::size_t> index_;
  std::size_t used_ = 0;
};

}  // namespace merit::pool::internal
