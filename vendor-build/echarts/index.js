// Apache ECharts with only what chuangwei draws; built to static/vendor/echarts-6.1.0-custom/echarts.custom.min.js,
// which defines the same `echarts` global as the full dist build (echarts.init, echarts.use, ...).
//
// Used now (static/js/home-charts.js, static/js/patrol-coverage.js):
//   bar and pie series, cartesian grid with category/value axes, tooltip, series labels, canvas renderer;
//   grid.containLabel (patrol-coverage.js) needs LegacyGridContainLabel in ECharts 6.
// Included ahead of use: line series with markLine (target lines on trend charts).
// Adding a chart or component: import it here, add it to use([...]), `npm run build`, commit the output.
import { use } from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, MarkLineComponent, LegacyGridContainLabel, CanvasRenderer]);

export * from "echarts/core";
