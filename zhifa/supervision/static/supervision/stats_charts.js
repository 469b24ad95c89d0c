/* The statistics page's charts (CSP: no inline script; data from json_script). */
(function () {
  if (!window.echarts) { return; }
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  var r = data("report-chart"), q = data("query-chart");
  if (r && document.getElementById("chart-period")) {
    echarts.init(document.getElementById("chart-period")).setOption({title: {text: "各期案件", textStyle: {fontSize: 14}},
      tooltip: {trigger: "axis"}, legend: {top: 24}, grid: {left: 40, right: 10, top: 60, bottom: 30},
      xAxis: {type: "category", data: r.months}, yAxis: {type: "value", minInterval: 1},
      series: r.series.map(function (s) { return {name: s.name, type: "bar", data: s.data}; })});
    echarts.init(document.getElementById("chart-outcome")).setOption({title: {text: "办理结果", textStyle: {fontSize: 14}},
      tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], top: 30, data: r.outcomes.filter(function (d) { return d.value; })}]});
  }
  if (q && q.categories.length && document.getElementById("chart-query")) {
    var c = echarts.init(document.getElementById("chart-query"));
    c.setOption({tooltip: {trigger: "axis"}, legend: {type: "scroll"}, grid: {left: 50, right: 10, bottom: 90},
      xAxis: {type: "category", data: q.categories, axisLabel: {rotate: 30}}, yAxis: {type: "value"},
      series: q.series.map(function (s) { return {name: s.name, type: "bar", stack: "q", data: s.data}; })});
    window.zhifaStatsChart = c;
  }
})();
