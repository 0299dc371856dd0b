// TransportClient: a background thread sends queued events in batches; flush/close are bounded.
#include <flowproof/harness/client.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <thread>

namespace flowproof::harness {

struct TransportClient::Worker {
  Worker(Transport& transport_in, std::size_t batch_size_in)
      : transport(transport_in), batch_size(std::max<std::size_t>(batch_size_in, 1)) {}

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping and nothing left
      const std::size_t count = std::min(batch_size, queue.size());
      std::vector<Event> batch(std::make_move_iterator(queue.begin()),
                               std::make_move_iterator(queue.begin() + count));
      queue.erase(queue.begin(), queue.begin() + count);
      in_flight = count;
      lock.unlock();
      bool accepted = false;
      try {
        accepted = transport.send(batch);
      } catch (...) {
        accepted = false;  // a throwing transport loses the batch, it never kills the client
      }
      lock.lock();
      (accepted ? stats.sent : stats.failed) += count;
      in_flight = 0;
      idle.notify_all();
      if (abandoning) {
        stats.dropped += queue.size();
        queue.clear();
        return;
      }
    }
  }

  bool wait_idle(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex);
    return idle.wait_for(lock, deadline, [&] { return queue.empty() && in_flight == 0; });
  }

  Transport& transport;
  const std::size_t batch_size;
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable idle;
  std::deque<Event> queue;
  std::size_t in_flight = 0;
  bool stopping = false;
  bool abandoning = false;
  Stats stats;
  std::thread thread;
};

TransportClient::TransportClient(Transport& transport, ClientOptions options,
                                 std::size_t batch_size)
    : EnrichingClient(std::move(options)),
      worker_(std::make_unique<Worker>(transport, batch_size)) {
  worker_->thread = std::thread([worker = worker_.get()] { worker->run(); });
}

TransportClient::~TransportClient() {
  mark_closed();
  {
    std::lock_guard lock(worker_->mutex);
    worker_->stopping = true;
    worker_->abandoning = true;
    if (worker_->in_flight == 0) {
      worker_->stats.dropped += worker_->queue.size();
      worker_->queue.clear();
    }
  }
  worker_->work_ready.notify_all();
  worker_->thread.join();
}

void TransportClient::deliver(Event event) {
  {
    std::lock_guard lock(worker_->mutex);
    worker_->queue.push_back(std::move(event));
  }
  worker_->work_ready.notify_one();
}

bool TransportClient::flush(std::chrono::milliseconds deadline) {
  return worker_->wait_idle(deadline);
}

bool TransportClient::close(std::chrono::milliseconds deadline) {
  mark_closed();
  const bool delivered = worker_->wait_idle(deadline);
  {
    std::lock_guard lock(worker_->mutex);
    worker_->stopping = true;
  }
  worker_->work_ready.notify_all();
  return delivered;
}

TransportClient::Stats TransportClient::stats() const {
  std::lock_guard lock(worker_->mutex);
  Stats stats = worker_->stats;
  stats.pending = worker_->queue.size() + worker_->in_flight;
  return stats;
}

}  // namespace flowproof::harness
