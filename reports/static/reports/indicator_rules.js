// The indicator rules of the report editor, shown while the commune types (the server checks the
// same ones on save: reports/indicators.py and ReportForm.clean). Each indicator's fieldset carries
// its rules as JSON (json_script "rules-<code>"): the registry's denominator, the previous rate,
// the tolerance and the threshold.
(function () {
  "use strict";

  // "1.234,5" or "1234.5" -> 1234.5; "" -> null; not a number -> NaN.
  function parse(text) {
    text = (text || "").trim().replace(/\s/g, "");
    if (!text) return null;
    if (text.indexOf(",") >= 0) text = text.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}(\.\d{3})+$/.test(text)) text = text.replace(/\./g, "");
    var value = Number(text);
    return isNaN(value) ? NaN : value;
  }

  function format(value, decimals) {
    return value.toLocaleString("vi-VN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }

  function check(group) {
    var code = group.getAttribute("data-indicator-group");
    var rules = JSON.parse(document.getElementById("rules-" + code).textContent);
    function field(part) {
      return group.querySelector('[data-part="' + part + '"]');
    }
    var numerator = parse(field("numerator").value);
    var denominator = parse(field("denominator").value);
    var typedRate = parse(field("rate").value);
    var problems = [];
    var warnings = [];
    var rate = null;
    [numerator, denominator, typedRate].forEach(function (value) {
      if (value !== null && (isNaN(value) || value < 0)) problems.push("Số liệu phải là số không âm.");
    });
    if (numerator !== null && denominator !== null && !problems.length) {
      if (numerator > denominator) {
        problems.push("Tử số (" + format(numerator, 0) + ") không được lớn hơn mẫu số (" + format(denominator, 0) + ").");
      } else if (denominator === 0) {
        problems.push("Mẫu số phải lớn hơn 0.");
      } else {
        rate = Math.round((numerator * 10000) / denominator) / 100;
      }
      if (rules.registry && Math.abs(denominator - rules.registry) > rules.tolerance * rules.registry) {
        warnings.push("Mẫu số khác nhiều so với sổ theo dõi (" + format(rules.registry, 0) + "); hãy kiểm tra lại.");
      }
    } else if (typedRate !== null && !problems.length) {
      if (typedRate > 100) problems.push("Tỷ lệ không được lớn hơn 100 %.");
      else rate = typedRate;
    } else if ((numerator !== null) !== (denominator !== null) && !problems.length) {
      // The registry's half of a pair, as the editor filled it in, is not yet an entry (the server
      // saves a draft without it): only half a pair the commune typed is a problem.
      var given = field(numerator !== null ? "numerator" : "denominator");
      if (given.value !== given.defaultValue) problems.push("Cần nhập cả tử số và mẫu số, hoặc chỉ nhập tỷ lệ (%).");
    }
    var explanation = field("explanation");
    var needsExplanation = rate !== null && rules.previous !== null && Math.abs(rate - rules.previous) > rules.threshold;
    if (needsExplanation && !explanation.value.trim()) {
      problems.push(
        "Tỷ lệ khác kỳ trước (" + format(rules.previous, 2) + " %) hơn " + format(rules.threshold, 0) +
          " điểm phần trăm: ghi một dòng giải trình."
      );
    }
    explanation.required = needsExplanation;
    group.querySelector("[data-indicator-rate]").textContent =
      rate === null ? "" : "Tỷ lệ: " + format(rate, 2) + " %" + (typedRate !== null && numerator === null ? " (chỉ nhập tỷ lệ)" : "");
    var box = group.querySelector("[data-indicator-problems]");
    box.textContent = "";
    problems.concat(warnings).forEach(function (text, index) {
      var line = document.createElement("div");
      line.textContent = text;
      line.className = index < problems.length ? "text-danger" : "text-warning-emphasis";
      line.setAttribute("data-rule", index < problems.length ? "error" : "warning");
      box.appendChild(line);
    });
    field("numerator").classList.toggle("is-invalid", problems.length > 0);
  }

  document.querySelectorAll("[data-indicator-group]").forEach(function (group) {
    group.addEventListener("input", function () {
      check(group);
    });
    check(group);
  });
})();
