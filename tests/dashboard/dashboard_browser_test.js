// The dashboard in headless Chromium, driven by Playwright, against a live
// server (dashboard_browser_test.sh starts it, a worker node and a
// workload): the counts change as tasks complete, who runs what is shown, a
// write with a wrong token is refused on the page, a failed task retried from
// the page completes, and pause and resume from the page stop and restart
// the queue. Then the same page of an in-process TaskQueue
// ($IN_PROCESS_URL): live counts, no task tables, pause and resume.
// Screenshots go to $SCREENSHOTS. Every wait is bounded.
"use strict";
const path = require("path");

const url = process.env.DASHBOARD_URL;
const token = process.env.DASHBOARD_TOKEN;
const screenshots = process.env.SCREENSHOTS;
let chromium;
try {
  ({ chromium } = require(process.env.PLAYWRIGHT_CORE));
} catch (e) {
  console.error("dashboard_browser_test: no playwright-core at " + process.env.PLAYWRIGHT_CORE +
                " (tools/setup.sh installs it): " + e.message);
  process.exit(1);
}

function fail(why) { throw new Error(why); }
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The number in a count box (#count-NAME), or NaN before the first status.
async function count(page, name) {
  const text = await page.textContent("#count-" + name + " b").catch(() => "");
  return Number.parseInt(text, 10);
}
// Polls `check` (async, truthy when done) every 100 ms for up to `ms`.
async function until(what, ms, check) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) fail("not within " + ms + " ms: " + what);
    await sleep(100);
  }
}
async function api(page, target) {
  return page.evaluate(async (t) => (await fetch(t)).json(), target);
}
async function shoot(page, name) {
  await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
  console.log("screenshot " + name);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    // This machine's network is closed: Chromium's own connections (updates,
    // sync, QUIC probes) would only fail, many at a time.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage"],
  });
  let page = null;
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push("page error: " + e.message));
    page.on("console", (m) => {
      // A refused write is a 403 the page shows; Chromium logs it too.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
        errors.push("console: " + m.text());
      }
    });

    const start = Date.now();
    await page.goto(url);
    await page.waitForSelector("#count-completed", { timeout: 10000 });
    console.log("page loaded and showed the counts in " + (Date.now() - start) + " ms");

    // Live: the counts move without a reload.
    const before = await count(page, "completed");
    await until("completed count to rise from " + before, 20000,
                async () => (await count(page, "completed")) > before);
    await page.waitForSelector("#running tr[id^=running-]", { timeout: 20000 });
    const worker = await page.textContent("#running tr[id^=running-] td");
    if (!/^(local\/\d+|node\/browser-node)/.test(worker)) fail("running on \"" + worker + "\"");
    await page.waitForSelector("#nodes td:text('browser-node')", { timeout: 20000 });
    await until("a completed-per-second sample above 0", 20000, async () =>
      /completed: [1-9]/.test(await page.textContent("#rate-legend")));
    await until("a run-time p50 sample", 20000, async () =>
      /run p50: \d/.test(await page.textContent("#latency-legend")));
    await shoot(page, "dashboard_live.png");

    // A write with the wrong token is refused, and the page says why.
    await page.fill("#token", "not-the-token");
    await page.dispatchEvent("#token", "change");
    await page.click("#pause");
    await until("the refusal on the page", 10000, async () =>
      (await page.textContent("#message")).includes("not the token"));
    if ((await api(page, "/api/status")).paused) fail("paused by a wrong token");

    // A dead-lettered demo.flaky task, retried from the page, completes.
    await page.fill("#token", token);
    await page.dispatchEvent("#token", "change");
    const row = await until("a failed demo.flaky task on the page", 30000, async () => {
      for (const r of await page.$$("#failed tr[id^=failed-]")) {
        if ((await r.textContent()).includes("demo.flaky")) return r;
      }
      return null;
    });
    const id = (await row.getAttribute("id")).slice("failed-".length);
    const failed = await api(page, "/api/tasks/" + id);
    if (failed.state !== "failed") fail("task " + id + " is " + failed.state);
    // Its service stays down 2 s after the task was added, and it failed
    // before that: 2.5 s from now it is surely up.
    await sleep(2500);
    // The table is redrawn every second: find the row again.
    await page.click("#failed-" + id + " button.retry", { timeout: 10000 });
    const done = await until("task " + id + " completed after the retry", 30000, async () => {
      const t = await api(page, "/api/tasks/" + id);
      return t.state === "completed" ? t : null;
    });
    if (done.attempts !== 2) fail("task " + id + " took " + done.attempts + " attempts");
    await page.waitForSelector("#failed-" + id, { state: "detached", timeout: 10000 });
    console.log("task " + id + " retried from the page and completed");
    await shoot(page, "dashboard_retried.png");

    // Pause: what runs finishes, nothing more starts, the queue grows.
    await page.click("#pause");
    await until("(paused) on the page", 10000,
                async () => (await page.textContent("#state")) === "(paused)");
    if (!(await api(page, "/api/status")).paused) fail("the server is not paused");
    await page.waitForSelector("#running td.empty", { timeout: 10000 });
    const paused = (await api(page, "/api/status")).completed_since_start;
    const queuedThen = await count(page, "queued");
    await sleep(2500);
    const pausedAfter = (await api(page, "/api/status")).completed_since_start;
    if (pausedAfter !== paused) fail("completed " + paused + " -> " + pausedAfter + " while paused");
    await until("queued count to grow while paused", 10000,
                async () => (await count(page, "queued")) > queuedThen);
    await shoot(page, "dashboard_paused.png");

    await page.click("#resume");
    await until("(running) on the page", 10000,
                async () => (await page.textContent("#state")) === "(running)");
    await until("tasks completing again", 20000, async () =>
      (await api(page, "/api/status")).completed_since_start > pausedAfter);
    console.log("paused and resumed from the page");

    // An in-process queue's page: the same, without the journal's tables.
    await page.goto(process.env.IN_PROCESS_URL);
    await page.waitForSelector("#count-completed", { timeout: 10000 });
    const inProcess = await count(page, "completed");
    await until("the in-process queue's completed count to rise", 20000,
                async () => (await count(page, "completed")) > inProcess);
    await until("the in-process page's own title", 10000, async () =>
      (await page.textContent("#counts-title")).includes("since the queue started"));
    for (const hidden of ["#tasks", "#failed", "#queued"]) {
      if (await page.isVisible(hidden)) fail(hidden + " shown for an in-process queue");
    }
    // One task in ten throws there.
    await until("a failed count above 0 on the in-process page", 20000,
                async () => (await count(page, "failed")) > 0);
    await page.fill("#token", token);
    await page.dispatchEvent("#token", "change");
    await page.click("#pause");
    await until("(paused) on the in-process page", 10000,
                async () => (await page.textContent("#state")) === "(paused)");
    await shoot(page, "dashboard_in_process.png");
    await page.click("#resume");
    await until("(running) on the in-process page", 10000,
                async () => (await page.textContent("#state")) === "(running)");
    console.log("the in-process queue's page: live, paused and resumed");

    if (errors.length) fail("the page logged errors:\n" + errors.join("\n"));
  } catch (e) {
    if (page) await shoot(page, "dashboard_failure.png").catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

main().then(() => console.log("dashboard_browser_test: passed"), (e) => {
  console.error("dashboard_browser_test: " + e.message);
  process.exit(1);
});
