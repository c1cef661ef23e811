// JoinLedger: a join for epoch e is answerable once every task of every
// epoch <= e has finished; joins that give up leave nothing behind.
#include "actors/scheduler/join_ledger.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace taskqueue::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<JoinId> Answerable(JoinLedger& ledger) {
  std::vector<JoinId> out;
  ledger.TakeAnswerable(out);
  return out;
}

TEST(JoinLedgerTest, NothingUnfinishedMeansEverythingFinished) {
  JoinLedger ledger;
  EXPECT_TRUE(ledger.AllFinishedThrough(0));
  EXPECT_TRUE(ledger.AllFinishedThrough(100));
  EXPECT_EQ(ledger.epochs_unfinished(), 0);
}

TEST(JoinLedgerTest, AllFinishedThroughLooksAtEveryEarlierEpoch) {
  JoinLedger ledger;
  ledger.Add(1, 2);
  ledger.Add(3, 1);
  EXPECT_EQ(ledger.epochs_unfinished(), 2);
  EXPECT_TRUE(ledger.AllFinishedThrough(0));  // Before any unfinished epoch.
  EXPECT_FALSE(ledger.AllFinishedThrough(1));
  EXPECT_FALSE(ledger.AllFinishedThrough(2));
  EXPECT_FALSE(ledger.AllFinishedThrough(5));

  ledger.Finish(1, 1);  // One of epoch 1's two tasks is still unfinished.
  EXPECT_FALSE(ledger.AllFinishedThrough(1));

  ledger.Finish(1, 1);
  EXPECT_TRUE(ledger.AllFinishedThrough(1));
  EXPECT_TRUE(ledger.AllFinishedThrough(2));
  EXPECT_FALSE(ledger.AllFinishedThrough(3));
  EXPECT_EQ(ledger.epochs_unfinished(), 1);

  ledger.Finish(3, 1);
  EXPECT_TRUE(ledger.AllFinishedThrough(3));
  EXPECT_EQ(ledger.epochs_unfinished(), 0);
}

TEST(JoinLedgerTest, AddsToAnEpochAccumulate) {
  JoinLedger ledger;
  ledger.Add(2, 1);
  ledger.Add(2, 2);
  ledger.Finish(2, 2);
  EXPECT_FALSE(ledger.AllFinishedThrough(2));
  ledger.Finish(2, 1);
  EXPECT_TRUE(ledger.AllFinishedThrough(2));
}

TEST(JoinLedgerTest, AJoinWithNothingToWaitForIsAnswerableAtOnce) {
  JoinLedger ledger;
  ledger.Await(7, 4);
  EXPECT_THAT(Answerable(ledger), ElementsAre(7));
  EXPECT_EQ(ledger.joins_waiting(), 0);
}

TEST(JoinLedgerTest, TakeAnswerableTakesOnlyAnswerableJoinsOldestEpochFirst) {
  JoinLedger ledger;
  ledger.Add(1, 1);
  ledger.Add(3, 1);
  ledger.Await(10, 3);
  ledger.Await(11, 1);
  ledger.Await(12, 2);
  ledger.Await(13, 1);
  EXPECT_THAT(Answerable(ledger), IsEmpty());
  EXPECT_EQ(ledger.joins_waiting(), 4);

  // Epoch 1 done: the joins for epochs 1 and 2 (which has no tasks of its
  // own) may be answered; the one for 3 still waits.
  ledger.Finish(1, 1);
  EXPECT_THAT(Answerable(ledger), ElementsAre(11, 13, 12));
  EXPECT_EQ(ledger.joins_waiting(), 1);

  ledger.Finish(3, 1);
  EXPECT_THAT(Answerable(ledger), ElementsAre(10));
  EXPECT_EQ(ledger.joins_waiting(), 0);
  EXPECT_THAT(Answerable(ledger), IsEmpty());  // Each is answered once.
}

TEST(JoinLedgerTest, ALaterEpochFinishingFirstAnswersNothing) {
  // A join for epoch 2 also waits for epoch 1's tasks.
  JoinLedger ledger;
  ledger.Add(1, 1);
  ledger.Add(2, 1);
  ledger.Await(5, 2);
  ledger.Finish(2, 1);
  EXPECT_THAT(Answerable(ledger), IsEmpty());
  ledger.Finish(1, 1);
  EXPECT_THAT(Answerable(ledger), ElementsAre(5));
}

TEST(JoinLedgerTest, TakeAnswerableAppendsToOut) {
  JoinLedger ledger;
  ledger.Await(2, 0);
  std::vector<JoinId> out = {1};
  ledger.TakeAnswerable(out);
  EXPECT_THAT(out, ElementsAre(1, 2));
}

TEST(JoinLedgerTest, ForgetRemovesAWaitingJoin) {
  JoinLedger ledger;
  ledger.Add(2, 1);
  ledger.Await(7, 2);
  ledger.Forget(7);
  EXPECT_EQ(ledger.joins_waiting(), 0);
  ledger.Finish(2, 1);
  EXPECT_THAT(Answerable(ledger), IsEmpty());
}

TEST(JoinLedgerTest, ForgetKeepsTheOtherJoinsOfTheEpoch) {
  JoinLedger ledger;
  ledger.Add(2, 1);
  ledger.Await(7, 2);
  ledger.Await(8, 2);
  ledger.Await(9, 2);
  ledger.Forget(8);
  EXPECT_EQ(ledger.joins_waiting(), 2);
  ledger.Finish(2, 1);
  EXPECT_THAT(Answerable(ledger), ElementsAre(7, 9));
}

TEST(JoinLedgerTest, ForgetIgnoresUnknownAndAnsweredIds) {
  JoinLedger ledger;
  ledger.Add(1, 1);
  ledger.Await(3, 1);
  ledger.Forget(99);  // Never awaited.
  EXPECT_EQ(ledger.joins_waiting(), 1);
  ledger.Finish(1, 1);
  EXPECT_THAT(Answerable(ledger), ElementsAre(3));
  ledger.Forget(3);  // Answered already: gave up too late.
  EXPECT_EQ(ledger.joins_waiting(), 0);
  EXPECT_THAT(Answerable(ledger), IsEmpty());
}

}  // namespace
}  // namespace taskqueue::internal
