// The gradient-descent example's pictures: every SVG plot and gallery page is
// well-formed XML (checked with Expat, not by searching the text) and shows
// what it claims to; a plot that cannot be written says which file and why.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "examples/dataset.h"
#include "examples/gallery.h"
#include "examples/plot_writer.h"
#include "examples/svg_plot.h"
#include "examples/trainer.h"
#include "examples/training_snapshot.h"
#include "examples/two_moons.h"
#include "examples/written_plot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gradient_descent_xml_tree.h"
#include "tests/scratch_files.h"

namespace gradient_descent {
namespace {

namespace fs = std::filesystem;
using ::taskqueue_testing::FreshTestDir;
using ::taskqueue_testing::ReadWholeFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

TrainingSnapshot SnapshotAfter(int steps, int total_iterations) {
  Trainer trainer(std::make_shared<const Dataset>(MakeTwoMoons({})),
                  TrainerOptions{.total_iterations = total_iterations});
  for (int i = 0; i < steps; ++i) trainer.Step();
  return trainer.Snapshot();
}

// The data points drawn: circles in the groups of class "points".
std::vector<const XmlElement*> DataPoints(const XmlElement& svg,
                                          absl::string_view group_class) {
  std::vector<const XmlElement*> points;
  for (const XmlElement* group : svg.FindAll("g")) {
    std::vector<std::string> classes =
        absl::StrSplit(group->Attribute("class"), ' ');
    if (std::find(classes.begin(), classes.end(), group_class) ==
        classes.end()) {
      continue;
    }
    for (const auto& child : group->children) {
      if (child->name == "circle") points.push_back(child.get());
    }
  }
  return points;
}

int PolylineVertices(const XmlElement& polyline) {
  std::vector<std::string> vertices =
      absl::StrSplit(polyline.Attribute("points"), ' ', absl::SkipWhitespace());
  return static_cast<int>(vertices.size());
}

TEST(SvgPlotTest, IsWellFormedAndShowsTheState) {
  TrainingSnapshot snapshot = SnapshotAfter(40, 100);
  absl::StatusOr<std::unique_ptr<XmlElement>> parsed =
      ParseXml(RenderSvgPlot(snapshot));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const XmlElement& svg = **parsed;

  EXPECT_EQ(svg.name, "svg");
  EXPECT_EQ(svg.Attribute("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(DataPoints(svg, "points").size(), snapshot.data->points.size());
  const XmlElement* boundary = svg.FindById("decision-boundary");
  ASSERT_NE(boundary, nullptr);
  EXPECT_THAT(boundary->Attribute("d"), StartsWith("M"));
  // The curves: one vertex per step so far plus the current state.
  const XmlElement* loss = svg.FindById("loss-curve");
  const XmlElement* accuracy = svg.FindById("accuracy-curve");
  ASSERT_NE(loss, nullptr);
  ASSERT_NE(accuracy, nullptr);
  EXPECT_EQ(PolylineVertices(*loss), 41);
  EXPECT_EQ(PolylineVertices(*accuracy), 41);

  ASSERT_FALSE(svg.FindAll("title").empty());
  EXPECT_THAT(svg.FindAll("title")[0]->text,
              HasSubstr("iteration 40 of 100: loss 0."));
  std::string text = svg.AllText();
  for (const char* label :
       {"feature x1", "feature x2", "iteration", "loss (cross-entropy)",
        "accuracy", "class 0", "class 1", "misclassified"}) {
    EXPECT_THAT(text, HasSubstr(label));
  }
}

TEST(SvgPlotTest, RingsExactlyTheMisclassifiedPoints) {
  TrainingSnapshot snapshot = SnapshotAfter(150, 600);
  absl::StatusOr<std::unique_ptr<XmlElement>> parsed =
      ParseXml(RenderSvgPlot(snapshot));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  double accuracy = snapshot.model.Evaluate(*snapshot.data).accuracy;
  int n = static_cast<int>(snapshot.data->points.size());
  int wrong = static_cast<int>(std::lround((1 - accuracy) * n));
  ASSERT_GT(wrong, 0);  // after 150 steps the network still errs
  EXPECT_EQ(static_cast<int>(DataPoints(**parsed, "misclassified").size()),
            wrong);
}

TEST(SvgPlotTest, DrawsTheUntrainedNetworkToo) {
  TrainingSnapshot snapshot = SnapshotAfter(0, 600);
  absl::StatusOr<std::unique_ptr<XmlElement>> parsed =
      ParseXml(RenderSvgPlot(snapshot));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const XmlElement* loss = (*parsed)->FindById("loss-curve");
  ASSERT_NE(loss, nullptr);
  EXPECT_EQ(PolylineVertices(*loss), 1);
  EXPECT_THAT((*parsed)->FindAll("title")[0]->text,
              HasSubstr("iteration 0 of 600"));
}

TEST(SvgPlotTest, LongRunsAreDrawnWithBoundedCurves) {
  TrainingSnapshot snapshot = SnapshotAfter(0, 5000);
  // A long history without paying for 5000 steps: only its length matters.
  snapshot.loss_history.assign(4000, 0.5);
  snapshot.accuracy_history.assign(4000, 0.9);
  snapshot.iteration = 4000;
  absl::StatusOr<std::unique_ptr<XmlElement>> parsed =
      ParseXml(RenderSvgPlot(snapshot));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  int vertices = PolylineVertices(*(*parsed)->FindById("loss-curve"));
  EXPECT_GT(vertices, 100);
  EXPECT_LE(vertices, 301);
}

TEST(SvgPlotTest, SameSnapshotSameBytes) {
  TrainingSnapshot snapshot = SnapshotAfter(10, 100);
  EXPECT_EQ(RenderSvgPlot(snapshot), RenderSvgPlot(snapshot));
}

TEST(PlotWriterTest, WritesTheFileThenWaitsTheLatency) {
  fs::path dir = FreshTestDir();
  TrainingSnapshot snapshot = SnapshotAfter(20, 100);
  PlotWriter writer(dir, absl::Milliseconds(50));
  Clock::time_point start = Clock::now();
  WrittenPlot plot = writer.Write(snapshot);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(50));
  EXPECT_EQ(plot.iteration, 20);
  EXPECT_EQ(plot.file_name, "plot_000020.svg");
  EXPECT_EQ(ReadWholeFile(dir / "plot_000020.svg"), RenderSvgPlot(snapshot));
}

TEST(PlotWriterTest, FailureNamesTheFileAndDoesNotWait) {
  fs::path dir = FreshTestDir() / "missing";
  PlotWriter writer(dir, absl::Seconds(30));
  Clock::time_point start = Clock::now();
  try {
    writer.Write(SnapshotAfter(0, 10));
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir / "plot_000000.svg").string()));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST(PlotWriterTest, FileNamesSortInTrainingOrder) {
  EXPECT_EQ(PlotWriter::FileName(0), "plot_000000.svg");
  EXPECT_EQ(PlotWriter::FileName(20), "plot_000020.svg");
  EXPECT_LT(PlotWriter::FileName(980), PlotWriter::FileName(1000));
}

// The gallery's links to plots, in page order.
std::vector<std::string> GalleryLinks(const XmlElement& page) {
  const XmlElement* list = page.FindById("plots");
  std::vector<std::string> links;
  if (list == nullptr) return links;
  for (const XmlElement* a : list->FindAll("a")) {
    links.push_back(a->Attribute("href"));
  }
  return links;
}

TEST(GalleryTest, ListsEveryPlotInIterationOrder) {
  std::vector<WrittenPlot> plots = {
      {40, "plot_000040.svg"}, {0, "plot_000000.svg"}, {20, "plot_000020.svg"}};
  absl::StatusOr<std::unique_ptr<XmlElement>> page =
      ParseXml(RenderGallery("Queued run", plots, "queued/"));
  ASSERT_TRUE(page.ok()) << page.status();

  EXPECT_THAT(GalleryLinks(**page),
              ElementsAre("queued/plot_000000.svg", "queued/plot_000020.svg",
                          "queued/plot_000040.svg"));
  const XmlElement* frame = (*page)->FindById("frame");
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->Attribute("src"), "queued/plot_000040.svg");
  const XmlElement* slider = (*page)->FindById("slider");
  ASSERT_NE(slider, nullptr);
  EXPECT_EQ(slider->Attribute("max"), "2");
  EXPECT_EQ((*page)->FindAll("title")[0]->text, "Queued run");
  // The viewer is inline: nothing is loaded from elsewhere.
  for (const XmlElement* script : (*page)->FindAll("script")) {
    EXPECT_EQ(script->Attribute("src"), "");
  }
  EXPECT_TRUE((*page)->FindAll("link").empty());
}

TEST(GalleryTest, WithoutPlotsSaysSo) {
  absl::StatusOr<std::unique_ptr<XmlElement>> page =
      ParseXml(RenderGallery("Empty", {}));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(GalleryLinks(**page).empty());
  EXPECT_EQ((*page)->FindById("frame"), nullptr);
  EXPECT_THAT((*page)->AllText(), HasSubstr("No plots were written."));
}

TEST(GalleryTest, EscapesTheTitle) {
  absl::StatusOr<std::unique_ptr<XmlElement>> page =
      ParseXml(RenderGallery("a <b> & 'c'", {{0, "plot_000000.svg"}}));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ((*page)->FindAll("h1")[0]->text, "a <b> & 'c'");
}

TEST(GalleryTest, WriteFailureNamesThePath) {
  fs::path path = FreshTestDir() / "missing" / "index.html";
  absl::Status status = WriteGallery(path, "t", {});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(path.string()));
}

}  // namespace
}  // namespace gradient_descent
