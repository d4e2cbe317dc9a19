# Developer shortcuts. The test suite runs with the README's test command (see .ci/run).
#
#   make report-screenshot   run the demo loop and a backtest, write the HTML report and render docs/report.png
#                            with headless Chromium (apt-get install chromium)

VENV ?= .venv
DRIFTLINE ?= $(VENV)/bin/driftline
CHROMIUM ?= chromium
DEMO_DIR ?= build/demo
SCREENSHOT ?= docs/report.png
# width,height of the browser window: the whole one-monitor demo report (with retraining and backtest) fits in 5,400 px
SCREENSHOT_SIZE ?= 1400,5400

.PHONY: report-screenshot demo-report

demo-report:
	$(DRIFTLINE) demo --dir $(DEMO_DIR) --quiet > /dev/null
	$(DRIFTLINE) backtest --project-dir $(DEMO_DIR) --quiet > /dev/null
	$(DRIFTLINE) report --project-dir $(DEMO_DIR) --out $(DEMO_DIR)/report.html

# The proxy points nowhere, so the screenshot also proves the page needs no network.
report-screenshot: demo-report
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --hide-scrollbars --proxy-server=127.0.0.1:9 \
		--window-size=$(SCREENSHOT_SIZE) --screenshot=$(abspath $(SCREENSHOT)) \
		file://$(abspath $(DEMO_DIR))/report.html 2>/dev/null
	@ls -l $(SCREENSHOT)
