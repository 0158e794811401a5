// An append-only id -> object table that readers use without a lock (the worker_pool_idr and
// the pwq pointers packed in work->data). Writers are serialised by the caller.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace wqlab::wq {

template <typename T>
class IdTable {
 public:
  static constexpr size_t kChunkBits = 10;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;
  static constexpr size_t kMaxChunks = 8192;  // 8 M ids

  IdTable() : chunks_(std::make_unique<std::atomic<T**>[]>(kMaxChunks)) {
    for (size_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
  }
  ~IdTable() {
    for (size_t i = 0; i < kMaxChunks; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
  }
  IdTable(const IdTable&) = delete;
  IdTable& operator=(const IdTable&) = delete;

  // Writer: stores `p` under the next id (or at `id`, filling gaps with null). Returns the id.
  size_t push(T* p) { return set(size_.load(std::memory_order_relaxed), p); }
  size_t set(size_t id, T* p) {
    T** chunk = chunks_[id >> kChunkBits].load(std::memory_order_relaxed);
    if (chunk == nullptr) {
      chunk = new T*[kChunk]();
      chunks_[id >> kChunkBits].store(chunk, std::memory_order_release);
    }
    chunk[id & (kChunk - 1)] = p;
    if (id >= size_.load(std::memory_order_relaxed)) size_.store(id + 1, std::memory_order_release);
    return id;
  }
  // Reader: the object under `id`, or null.
  T* get(size_t id) const {
    if (id >= size_.load(std::memory_order_acquire)) return nullptr;
    return chunks_[id >> kChunkBits].load(std::memory_order_acquire)[id & (kChunk - 1)];
  }
  size_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  std::unique_ptr<std::atomic<T**>[]> chunks_;
  std::atomic<size_t> size_{0};
};

}  // namespace wqlab::wq
