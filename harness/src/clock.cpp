// The real clocks and the ISO-8601 timestamp format used on every event.
#include <flowproof/harness/clock.hpp>

#include <ctime>

namespace flowproof::harness {
namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wall_now() override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

std::string format_timestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto since_epoch = duration_cast<milliseconds>(time.time_since_epoch());
  // Floor division so times before 1970 still get a milliseconds field in [0, 999].
  const auto day = floor<days>(since_epoch);
  const year_month_day date{sys_days{day}};
  // Four-digit years only: true of every time the clock can hold where it counts nanoseconds in
  // 64 bits (1677 to 2262); a wider clock would need a wider format here.
  static_assert(duration_cast<years>(system_clock::duration::max()).count() < 9999 - 1970 &&
                    duration_cast<years>(system_clock::duration::min()).count() > -1970,
                "format_timestamp assumes four-digit years");
  const int year = static_cast<int>(date.year());
  // The hot path of every track(): digits written directly, no printf (a fifth of track's cost).
  auto in_day = (since_epoch - day).count();  // milliseconds in [0, 86'400'000)
  const auto millis = static_cast<unsigned>(in_day % 1000);
  in_day /= 1000;
  const auto second = static_cast<unsigned>(in_day % 60);
  in_day /= 60;
  const auto minute = static_cast<unsigned>(in_day % 60);
  const auto hour = static_cast<unsigned>(in_day / 60);
  std::string text = "0000-00-00T00:00:00.000Z";
  const auto put = [&text](std::size_t end, unsigned value) {  // right-aligned into [.., end)
    for (std::size_t i = end; value != 0; value /= 10)
      text[--i] = static_cast<char>('0' + value % 10);
  };
  put(4, static_cast<unsigned>(year));
  put(7, static_cast<unsigned>(date.month()));
  put(10, static_cast<unsigned>(date.day()));
  put(13, hour);
  put(16, minute);
  put(19, second);
  put(23, millis);
  return text;
}

}  // namespace flowproof::harness
