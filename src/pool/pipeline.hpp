#pragma once
// The ordered parallel pipeline: blocks read, worked on side by side, and merged
// strictly in input order. Internal to merit_pool (src/pool): not installed.

#include "block_reader.hpp"

#include <merit/rank.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace merit::pool::internal {

/// Runs body(k) for k in [0, n) on up to `threads` threads (contiguous ranges),
/// through the core's detail::for_each_share.
template <class Body>
void parallel_for(unsigned threads, std::size_t n, const Body& body) {
  const auto t = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, n)));
  merit::detail::for_each_share(t, [&](unsigned share) {
    for (std::size_t k = merit::detail::share_begin(n, t, share); k < merit::detail::share_begin(n, t, share + 1); ++k) body(k);
  });
}


/// The ordered block pipeline: `threads` threads (the calling one among
/// them) each take the next block from the reader, run `work` on it, and hand
/// the results to `merge` strictly in input order, one at a time (whichever
/// thread delivers the block that is next in line merges it, and any that
/// follow and are ready). At most `window` blocks are in flight, so memory is
/// bounded. An exception (from reading, work or merge) stops the pipeline and
/// is rethrown here once every thread has stopped; an error of block k is
/// raised only after blocks 0..k-1 were merged, so errors come in input order.
template <class Block, class Work, class Merge>
void run_ordered(block_reader& reader, std::string first_text, std::size_t first_line, unsigned threads,
                 const Work& work, const Merge& merge) {
  struct slot {
    Block block{};
    std::exception_ptr error;
    bool ready = false;
  };
  const std::size_t window = 2 * std::size_t(threads) + 2;
  std::vector<slot> slots(window);
  std::mutex read_m, m;
  std::condition_variable cv;
  std::size_t next_read = 0, next_merge = 0;
  bool merging = false, stop = false, at_end = false, pending = !first_text.empty();
  std::exception_ptr failure;

  auto body = [&] {
    std::string text;
    for (;;) {
      std::size_t seq = 0, line = 0;
      std::exception_ptr read_error;
      {
        std::lock_guard<std::mutex> rl(read_m);
        {
          std::unique_lock<std::mutex> lk(m);
          cv.wait(lk, [&] { return stop || next_read < next_merge + window; });
          if (stop) return;
        }
        if (at_end) return;
        try {
          text.clear();
          if (pending) {
            text.swap(first_text);
            line = first_line;
            pending = false;
          } else if (!reader.next(text, line)) {
            at_end = true;
            return;
          }
        } catch (...) {
          read_error = std::current_exception();
          at_end = true;
        }
        std::lock_guard<std::mutex> lk(m);
        seq = next_read++;
      }
      slot s;
      s.error = read_error;
      if (!s.error) {
        try {
          s.block = work(text, line);
        } catch (...) {
          s.error = std::current_exception();
        }
      }
      s.ready = true;
      std::unique_lock<std::mutex> lk(m);
      slots[seq % window] = std::move(s);
      if (merging) continue;
      merging = true;
      while (!stop && slots[next_merge % window].ready) {
        slot cur = std::move(slots[next_merge % window]);
        slots[next_merge % window] = slot{};
        lk.unlock();
        std::exception_ptr err = cur.error;
        if (!err) {
          try {
            merge(cur.block);
          } catch (...) {
            err = std::current_exception();
          }
        }
        lk.lock();
        if (err) {
          if (!failure) failure = err;
          stop = true;
        }
        ++next_merge;
        cv.notify_all();
      }
      merging = false;
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(body);
  body();
  for (auto& h : helpers) h.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace merit::pool::internal
