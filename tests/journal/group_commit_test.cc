// GroupCommit: operations from many threads share transactions, each
// callback runs once with its own outcome, and nothing submitted is lost at
// destruction.
#include "actors/journal/group_commit.h"

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/scratch_files.h"

namespace taskqueue::internal {
namespace {

AcceptTask Keyed(int i) {
  return AcceptTask{NewTask{.name = "t",
                            .args = std::to_string(i),
                            .idempotency_key = "k" + std::to_string(i)}};
}

std::unique_ptr<Journal> OpenFresh() {
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      Journal::Open({.path = taskqueue_testing::FreshTestDir() / "journal"});
  EXPECT_TRUE(journal.ok()) << journal.status();
  return journal.ok() ? *std::move(journal) : nullptr;
}

// While the commit thread is held in a callback, 4 threads submit 1,000
// operations: they all go into the one next transaction.
TEST(GroupCommitTest, WhatArrivesDuringACommitSharesTheNextOne) {
  std::unique_ptr<Journal> journal = OpenFresh();
  ASSERT_NE(journal, nullptr);
  constexpr int kThreads = 4;
  constexpr int kEach = 250;
  std::vector<std::atomic<int>> calls(kThreads * kEach);
  std::vector<int64_t> ids(kThreads * kEach, -1);
  {
    GroupCommit commits(*journal);
    absl::Notification held;
    absl::Notification release;
    commits.Submit(Keyed(-1), [&](absl::StatusOr<OpOutcome> outcome) {
      EXPECT_TRUE(outcome.ok()) << outcome.status();
      held.Notify();
      release.WaitForNotification();
    });
    held.WaitForNotification();
    std::vector<std::thread> producers;
    for (int t = 0; t < kThreads; ++t) {
      producers.emplace_back([&, t] {
        for (int j = 0; j < kEach; ++j) {
          const int i = t * kEach + j;
          commits.Submit(Keyed(i), [&, i](absl::StatusOr<OpOutcome> outcome) {
            ASSERT_TRUE(outcome.ok()) << outcome.status();
            calls[i].fetch_add(1);
            ids[i] = outcome->id;  // Each slot written by one callback.
          });
        }
      });
    }
    for (std::thread& p : producers) p.join();
    release.Notify();
  }  // Destruction commits what is pending.
  std::set<int64_t> distinct;
  for (int i = 0; i < kThreads * kEach; ++i) {
    EXPECT_EQ(calls[i].load(), 1) << "operation " << i;
    distinct.insert(ids[i]);
  }
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kEach));
  absl::StatusOr<std::array<int64_t, 8>> counts = journal->CountByState();
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ((*counts)[0], kThreads * kEach + 1);
  // Idle at the end: the log was checkpointed into the file.
  EXPECT_EQ(journal->log_pages(), 0);
}

TEST(GroupCommitTest, CheckpointsKeepTheLogBoundedUnderLoad) {
  std::unique_ptr<Journal> journal = OpenFresh();
  ASSERT_NE(journal, nullptr);
  const std::string wal = journal->path() + "-wal";
  {
    GroupCommit commits(*journal, {.max_group = 16, .checkpoint_pages = 8});
    absl::Notification held;
    absl::Notification release;
    commits.Submit(Keyed(-1), [&](absl::StatusOr<OpOutcome>) {
      held.Notify();
      release.WaitForNotification();
    });
    held.WaitForNotification();
    // All pending at once: no idle moment until the end.
    for (int i = 0; i < 4000; ++i) {
      commits.Submit(
          AcceptTask{NewTask{.name = "t", .args = std::string(512, 'x')}},
          [](absl::StatusOr<OpOutcome> outcome) {
            ASSERT_TRUE(outcome.ok()) << outcome.status();
          });
    }
    release.Notify();
  }
  // 2 MB of arguments went through a log that never held more than a few
  // groups' pages (SQLite reuses the file after a checkpoint).
  EXPECT_LT(std::filesystem::file_size(wal), 40u * 4096u);
}

TEST(GroupCommitTest, CountsGroupsAndEachOperationGetsItsOwnOutcome) {
  std::unique_ptr<Journal> journal = OpenFresh();
  ASSERT_NE(journal, nullptr);
  std::vector<absl::StatusOr<OpOutcome>> outcomes;
  absl::Mutex mu;
  {
    GroupCommit commits(*journal, {.max_group = 2});
    absl::Notification held;
    absl::Notification release;
    commits.Submit(Keyed(0), [&](absl::StatusOr<OpOutcome>) {
      held.Notify();
      release.WaitForNotification();
    });
    held.WaitForNotification();
    const auto keep = [&](absl::StatusOr<OpOutcome> outcome) {
      absl::MutexLock lock(&mu);
      outcomes.push_back(std::move(outcome));
    };
    commits.Submit(Keyed(1), keep);
    commits.Submit(DispatchTask{.id = 999, .worker = "local/0"}, keep);
    commits.Submit(Keyed(1), keep);  // The same key again.
    release.Notify();
    // The first group is [0] alone; max_group splits the other three.
    while (commits.counts().operations < 4) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    EXPECT_EQ(commits.counts().groups, 3);
  }
  ASSERT_EQ(outcomes.size(), 3u);  // In the order submitted.
  ASSERT_TRUE(outcomes[0].ok());
  EXPECT_TRUE(outcomes[0]->created);
  EXPECT_EQ(outcomes[1].status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(outcomes[2].ok());
  EXPECT_FALSE(outcomes[2]->created);
  EXPECT_EQ(outcomes[2]->id, outcomes[0]->id);
}

// A read runs between groups: it sees every operation submitted before it
// committed (and may see later ones, which can share their group).
TEST(GroupCommitTest, AReadSeesWhatWasSubmittedBeforeIt) {
  std::unique_ptr<Journal> journal = OpenFresh();
  ASSERT_NE(journal, nullptr);
  std::vector<int64_t> seen;
  {
    GroupCommit commits(*journal);
    for (int round = 1; round <= 3; ++round) {
      for (int i = 0; i < 100; ++i) {
        commits.Submit(Keyed(round * 1000 + i),
                       [](absl::StatusOr<OpOutcome>) {});
      }
      commits.Read([&seen](Journal& j) {
        absl::StatusOr<std::array<int64_t, 8>> counts = j.CountByState();
        ASSERT_TRUE(counts.ok()) << counts.status();
        seen.push_back((*counts)[static_cast<int>(TaskState::kQueued)]);
      });
    }
  }
  ASSERT_EQ(seen.size(), 3u);
  for (int round = 1; round <= 3; ++round) {
    EXPECT_GE(seen[round - 1], round * 100) << "round " << round;
  }
  EXPECT_EQ(seen.back(), 300);
}

// Reads between operations (a wait for each task that ends) do not split
// the operations' group: 100 of each, queued behind a blocked read, commit
// in one transaction, and each read after it sees all 100.
TEST(GroupCommitTest, ReadsAmongOperationsDoNotSplitTheirGroup) {
  std::unique_ptr<Journal> journal = OpenFresh();
  ASSERT_NE(journal, nullptr);
  std::vector<int64_t> seen;
  absl::Notification release;
  GroupCommit::Counts counts;
  {
    GroupCommit commits(*journal);
    absl::Notification blocked;
    commits.Read([&blocked, &release](Journal&) {
      blocked.Notify();
      release.WaitForNotification();
    });
    // The commit thread holds the read: everything below waits, together.
    blocked.WaitForNotification();
    for (int i = 0; i < 100; ++i) {
      commits.Submit(Keyed(i), [](absl::StatusOr<OpOutcome>) {});
      commits.Read([&seen](Journal& j) {
        absl::StatusOr<std::array<int64_t, 8>> by_state = j.CountByState();
        ASSERT_TRUE(by_state.ok()) << by_state.status();
        seen.push_back((*by_state)[static_cast<int>(TaskState::kQueued)]);
      });
    }
    release.Notify();
    absl::Notification read;
    commits.Read([&read](Journal&) { read.Notify(); });
    read.WaitForNotification();
    counts = commits.counts();
  }
  EXPECT_EQ(counts.operations, 100);
  EXPECT_EQ(counts.groups, 1);
  EXPECT_EQ(seen, std::vector<int64_t>(100, 100));
}

}  // namespace
}  // namespace taskqueue::internal
