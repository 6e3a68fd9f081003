/*! Apache ECharts 6 (with zrender), licensed under the Apache License, Version 2.0:
    node_modules/echarts/LICENSE and NOTICE. Only the modules Gongzhi uses. */
/* ECharts with only what Gongzhi's charts use, bundled at set-up by scripts/setup.sh
   (esbuild, pinned in package-lock.json) into static/vendor/echarts.min.js as the
   global `echarts` that report-charts.js and survey-charts.js call.

   Used today: bar and line series on a grid (category and value axes, a second value
   axis on the right), tooltip (trigger "axis"), legend (plain and "scroll"), the canvas
   renderer; grid.containLabel needs LegacyGridContainLabel in ECharts 6. A chart that
   uses another series type or component must add it here, or it silently draws
   nothing (ECharts only logs an error in its development build). */
import { use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  LegacyGridContainLabel,
  CanvasRenderer
]);

export * from "echarts/core";
