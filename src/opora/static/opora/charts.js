/* Render the charts of a page: every <script type="application/json" data-chart> holds a
   Vega-Lite spec built on the server (opora/assessment/charts.py); vega-embed draws it into the
   .chart-view element next to it, with Russian number and date formats. */
(function () {
  "use strict";

  var formatLocale = {
    decimal: ",",
    thousands: "\u00a0",
    grouping: [3],
    currency: ["", "\u00a0₽"],
    percent: "\u00a0%"
  };
  var timeFormatLocale = {
    dateTime: "%A, %e %B %Y г. %X",
    date: "%d.%m.%Y",
    time: "%H:%M:%S",
    periods: ["AM", "PM"],
    days: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    shortDays: ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    months: ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
      "сентября", "октября", "ноября", "декабря"],
    shortMonths: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
  };

  function render(root) {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var scripts = (root || document).querySelectorAll('script[type="application/json"][data-chart]');
    Array.prototype.forEach.call(scripts, function (script) {
      if (script.dataset.rendered) {
        return;
      }
      script.dataset.rendered = "1";
      var view = script.parentNode.querySelector(".chart-view");
      if (!view) {
        return;
      }
      var spec;
      try {
        spec = JSON.parse(script.textContent);
      } catch (error) {
        view.textContent = "График не удалось прочитать.";
        return;
      }
      window.vegaEmbed(view, spec, {
        actions: false,
        renderer: "svg",
        formatLocale: formatLocale,
        timeFormatLocale: timeFormatLocale
      }).then(function () {
        view.dataset.rendered = "1";
      }).catch(function () {
        view.textContent = "График не удалось построить.";
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document); });
  } else {
    render(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { render(event.target); });
})();
