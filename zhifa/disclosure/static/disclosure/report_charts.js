/* An annual report's charts (CSP: no inline script; data from json_script). */
(function () {
  if (!window.echarts) { return; }
  var d = JSON.parse(document.getElementById("report-chart").textContent);
  function pie(id, title, rows) {
    echarts.init(document.getElementById(id)).setOption({title: {text: title, textStyle: {fontSize: 14}}, tooltip: {trigger: "item"},
      series: [{type: "pie", radius: ["30%", "60%"], top: 30, data: rows}]});
  }
  echarts.init(document.getElementById("rc-month")).setOption({title: {text: "各月案件", textStyle: {fontSize: 14}},
    tooltip: {trigger: "axis"}, legend: {top: 24}, grid: {left: 36, right: 10, top: 60, bottom: 30},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", minInterval: 1},
    series: d.series.map(function (s) { return {name: s.name, type: "bar", data: s.data}; })});
  pie("rc-outcome", "办理结果", d.outcomes);
  pie("rc-kind", "案件类别", d.kinds);
  echarts.init(document.getElementById("rc-category")).setOption({title: {text: "执法领域", textStyle: {fontSize: 14}},
    tooltip: {trigger: "axis"}, grid: {left: 90, right: 10, top: 40, bottom: 20}, yAxis: {type: "category", data: d.categories},
    xAxis: {type: "value", minInterval: 1}, series: [{type: "bar", data: d.category_counts}]});
  window.zhifaReportCharts = true;
})();
