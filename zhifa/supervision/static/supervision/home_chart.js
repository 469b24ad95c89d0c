/* The supervision home page's bar chart (CSP: no inline script; data from json_script, the
   drill-down URL from the chart element's data-url). */
(function () {
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  if (!window.echarts || !d.entities.length) { return; }
  var el = document.getElementById("chart");
  var c = echarts.init(el);
  var series = d.series.map(function (s) { return {name: s.name, type: "bar", stack: "kind", data: s.data, key: s.key}; });
  series.push({name: "期限超期", type: "bar", data: d.overdue, key: "overdue", itemStyle: {color: "#c0392b"}});
  c.setOption({tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 20, bottom: 80},
    xAxis: {type: "category", data: d.entities, axisLabel: {rotate: 20}}, yAxis: {type: "value", minInterval: 1},
    series: series});
  c.on("click", function (p) {
    window.location = el.dataset.url + "metric=" + series[p.seriesIndex].key + "&entity=" + d.ids[p.dataIndex];
  });
  window.zhifaChart = c;
})();
