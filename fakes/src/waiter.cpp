// FakeWaiter: waits that advance the fake clock instantly and can be interrupted.
#include <flowproof/fakes/waiter.hpp>

#include "text.hpp"

namespace flowproof::fakes {

FakeWaiter::FakeWaiter(FakeSession& session) : session_(&session) {}

void FakeWaiter::wait(std::string_view what, std::chrono::milliseconds duration) {
  if (duration < std::chrono::milliseconds::zero()) {
    session_->fail("FakeWaiter: negative wait " + detail::format_duration(duration) + " for " +
                   detail::quote(what));
  }
  std::size_t call = 0;
  try {
    call = session_->begin_call(CallPoint{"wait", std::string(what)},
                                detail::format_duration(duration));
  } catch (...) {
    std::lock_guard lock(mutex_);
    waits_.push_back(WaitRecord{std::string(what), duration, true});
    throw;
  }
  session_->clock().advance(duration);
  {
    std::lock_guard lock(mutex_);
    waits_.push_back(WaitRecord{std::string(what), duration, false});
  }
  session_->finish_call(call, "waited");
}

std::vector<WaitRecord> FakeWaiter::waits() const {
  std::lock_guard lock(mutex_);
  return waits_;
}

std::chrono::milliseconds FakeWaiter::total_waited() const {
  std::lock_guard lock(mutex_);
  std::chrono::milliseconds total{0};
  for (const auto& wait : waits_) {
    if (!wait.interrupted) total += wait.duration;
  }
  return total;
}

}  // namespace flowproof::fakes
