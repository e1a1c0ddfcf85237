// 青海12315 H5: the complaint / report / inquiry form and the progress lookup.
// Plain JS, no framework, no external resources; served with a CSP that
// allows scripts from this origin only.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var form = $('form'), btn = $('submit'), msg = $('form-msg');
  var lform = $('lform'), lbtn = $('lsubmit'), lmsg = $('lform-msg');
  var pre = $('prefecture'), county = $('business.region_code');
  var TIMEOUT = 30000;

  // The server's rules (shared/cases/submission.go), mirrored as hints.
  var mobileRe = /^1[3-9][0-9]{9}$/, landRe = /^0[1-9][0-9]{1,2}-?[0-9]{7,8}$/;
  var amountRe = /^[0-9]{1,12}(\.[0-9]{1,2})?$/, dateRe = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  var MIN_FACTS = 5;

  // Chinese messages by field and error code; the server's English message
  // is the last resort.
  var MSG = {
    'kind': { invalid: '请选择类型' },
    'anonymous': { not_allowed: '只有举报可以匿名', invalid: '匿名举报请不要填写姓名' },
    'consumer.name': { required: '投诉须填写姓名' },
    'consumer.phone': { required: '请填写联系电话', invalid: '电话号码格式不正确，请填写11位手机号或带区号的固定电话' },
    'consumer.address': { required: '投诉须填写通讯地址' },
    'business.name': { required: '请填写经营者名称' },
    'business.address': { required: '请填写经营地址，或选择所在地区' },
    'business.region_code': { invalid: '请重新选择所在地区' },
    'facts': { required: '请填写具体情况', too_short: '请至少写' + MIN_FACTS + '个字' },
    'request': { required: '请填写您的诉求，如退款、更换、赔偿' },
    'amount_yuan': { invalid: '金额应为数字，最多两位小数，如 35.50' },
    'occurred_on': { invalid: '日期格式应为 年-月-日' }
  };
  var GENERIC = { required: '请填写此项', too_long: '内容过长', too_short: '内容过短', invalid: '格式不正确', not_allowed: '此项不能填写' };

  function message(f) {
    var m = MSG[f.field] && MSG[f.field][f.code];
    if (m) return m;
    if (f.code === 'too_long') {
      var el = $(f.field), max = el && el.maxLength > 0 ? el.maxLength : 0;
      return max ? '内容过长，最多' + max + '个字' : GENERIC.too_long;
    }
    return GENERIC[f.code] || f.message || '请检查此项';
  }

  function val(id) { var el = $(id); return el && !el.disabled ? el.value.trim() : ''; }
  function runes(s) { return Array.from(s).length; }

  // normPhone mirrors cases.NormalizePhone.
  function normPhone(p) {
    p = p.replace(/\s+/g, '');
    if (p.indexOf('+86') === 0) p = p.slice(3); else if (p.indexOf('0086') === 0) p = p.slice(4);
    var d = p.replace(/-/g, '');
    return mobileRe.test(d) ? d : p;
  }

  function kind() { var k = form.querySelector('input[name=kind]:checked'); return k ? k.value : 'complaint'; }
  function anonymous() { return kind() === 'report' && $('anonymous').checked; }

  // collect builds the JSON submission from what is visible for the kind.
  function collect() {
    var k = kind(), s = { kind: k, consumer: {}, business: {} };
    var put = function (obj, key, v) { if (v) obj[key] = v; };
    if (!anonymous()) put(s.consumer, 'name', val('consumer.name'));
    else s.anonymous = true;
    put(s.consumer, 'phone', normPhone(val('consumer.phone')));
    put(s.consumer, 'address', val('consumer.address'));
    put(s.business, 'name', val('business.name'));
    put(s.business, 'address', val('business.address'));
    put(s.business, 'region_code', county.value || pre.value);
    s.facts = val('facts');
    if (k !== 'inquiry') {
      put(s, 'request', val('request'));
      put(s, 'amount_yuan', val('amount_yuan').replace(/[,，\s]/g, '').replace(/^¥|元$/g, ''));
      put(s, 'occurred_on', val('occurred_on'));
    }
    return s;
  }

  // check applies the server's rules to s and returns the field errors.
  function check(s) {
    var errs = [], k = s.kind;
    var add = function (field, code) { errs.push({ field: field, code: code }); };
    var text = function (field, v, req) {
      var el = $(field);
      if (!v) { if (req) add(field, 'required'); } else if (el && el.maxLength > 0 && runes(v) > el.maxLength) add(field, 'too_long');
    };
    text('consumer.name', s.consumer.name, k === 'complaint');
    text('consumer.address', s.consumer.address, k === 'complaint');
    if (!s.consumer.phone) { if (k !== 'report') add('consumer.phone', 'required'); }
    else if (!mobileRe.test(s.consumer.phone) && !landRe.test(s.consumer.phone)) add('consumer.phone', 'invalid');
    text('business.name', s.business.name, k !== 'inquiry');
    text('business.address', s.business.address, k === 'complaint' && !s.business.region_code);
    text('facts', s.facts, true);
    if (s.facts && runes(s.facts) < MIN_FACTS) add('facts', 'too_short');
    text('request', s.request, k === 'complaint');
    if (s.amount_yuan && !amountRe.test(s.amount_yuan)) add('amount_yuan', 'invalid');
    if (s.occurred_on && !dateRe.test(s.occurred_on)) add('occurred_on', 'invalid');
    return errs;
  }

  function clearErrors(f) {
    Array.prototype.forEach.call(f.querySelectorAll('.err'), function (p) { p.textContent = ''; });
    Array.prototype.forEach.call(f.querySelectorAll('[aria-invalid]'), function (el) { el.removeAttribute('aria-invalid'); });
  }

  function say(box, text) { box.textContent = text; box.hidden = !text; }

  // showErrors puts each field error next to its input; errors for fields
  // the page has no input for go to the summary.
  function showErrors(errs) {
    clearErrors(form);
    var first = null, loose = [];
    errs.forEach(function (f) {
      var p = $(f.field + '-err');
      if (!p) { loose.push(message(f)); return; }
      if (!p.textContent) p.textContent = message(f);
      var el = f.field === 'kind' ? form.querySelector('input[name=kind]:checked') : $(f.field);
      if (f.field === 'business.region_code' && !county.value) el = pre;
      if (el) { el.setAttribute('aria-invalid', 'true'); first = first || el; }
    });
    say(msg, '有 ' + errs.length + ' 处需要修改，请查看标红的项目。' + loose.join(' '));
    (first || msg).focus();
  }

  // fetchT is fetch with a timeout, for connections that hang.
  function fetchT(url, opts) {
    var ctl = window.AbortController ? new AbortController() : null;
    if (ctl) { opts.signal = ctl.signal; setTimeout(function () { ctl.abort(); }, TIMEOUT); }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
        return { status: res.status, data: data };
      });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // pending is the submission being sent and its Idempotency-Key: a retry of
  // the same content reuses the key, so the server files it only once.
  var pending = null, sending = false;

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (sending) return;
    var s = collect(), errs = check(s);
    if (errs.length) { showErrors(errs); return; }
    clearErrors(form);
    var body = JSON.stringify(s);
    if (!pending || pending.body !== body) pending = { body: body, key: newKey() };
    send();
  });

  function retryable(text) {
    say(msg, text + '请检查网络后点击“重新提交”，同一内容不会重复登记。');
    btn.textContent = '重新提交';
    msg.focus();
  }

  function send() {
    sending = true;
    btn.disabled = true;
    btn.textContent = '正在提交…';
    say(msg, '');
    fetchT('v1/complaints', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': pending.key },
      body: pending.body
    }).then(function (r) {
      sending = false;
      btn.disabled = false;
      btn.textContent = '提交';
      var err = r.data && r.data.error;
      if (r.status === 201 && r.data && r.data.tracking_code) { pending = null; done(r.data); return; }
      if (err && err.fields && err.fields.length) { showErrors(err.fields); return; }
      if (err && err.code === 'idempotency_key_reused') { pending.key = newKey(); retryable('提交未完成。'); return; }
      if (r.status >= 500 || r.status === 429 || r.status === 408 || !err) { retryable('服务暂时繁忙，提交未完成。'); return; }
      say(msg, r.status === 413 ? '内容过长，请精简后再提交。' : '提交未成功，请稍后再试（' + (err.code || r.status) + '）。');
      msg.focus();
    }, function () {
      sending = false;
      btn.disabled = false;
      retryable(navigator.onLine === false ? '当前没有网络连接。' : '网络不稳定，未能确认是否提交成功。');
    });
  }

  function done(r) {
    form.hidden = true;
    $('done-id').textContent = r.id;
    $('done-code').textContent = r.tracking_code;
    $('l-id').value = r.id;
    $('l-code').value = r.tracking_code;
    $('done').hidden = false;
    $('done').focus();
    window.scrollTo(0, 0);
  }

  function copy(id) {
    var el = $(id), text = el.textContent, note = $('copy-msg');
    var ok = function () { note.textContent = '已复制：' + text; };
    var fallback = function () {
      var r = document.createRange();
      r.selectNodeContents(el);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      try { if (document.execCommand('copy')) { ok(); return; } } catch (e) { /* below */ }
      note.textContent = '请长按选中后复制';
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(ok, fallback);
    else fallback();
  }

  Array.prototype.forEach.call(document.querySelectorAll('.copy'), function (b) {
    b.addEventListener('click', function () { copy(b.getAttribute('data-copy')); });
  });
  $('done-new').addEventListener('click', function () {
    form.reset();
    county.disabled = true;
    update();
    say(msg, '');
    $('done').hidden = true;
    form.hidden = false;
    window.scrollTo(0, 0);
  });
  $('done-lookup').addEventListener('click', function () { location.hash = '#lookup'; lform.requestSubmit ? lform.requestSubmit() : lookup(); });

  // update shows what the chosen kind asks for: the fields, their labels and
  // which of them are required.
  function update() {
    var k = kind(), anon = anonymous();
    Array.prototype.forEach.call(document.querySelectorAll('[data-kinds]'), function (el) {
      el.hidden = el.getAttribute('data-kinds').split(' ').indexOf(k) < 0;
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-k]'), function (el) {
      el.hidden = el.getAttribute('data-k') !== k;
    });
    var name = $('consumer.name');
    name.disabled = anon;
    name.closest('.f').hidden = anon;
    if (k !== 'report') $('anonymous').checked = false;
    Array.prototype.forEach.call(form.querySelectorAll('.f[data-req]'), function (f) {
      var req = f.getAttribute('data-req').split(' ').indexOf(k) >= 0, label = f.querySelector('label');
      var mark = label.querySelector('.mark') || label.appendChild(document.createElement('span'));
      mark.className = 'mark ' + (req ? 'req' : 'opt');
      mark.textContent = req ? ' *' : '（选填）';
    });
    $('me-legend').textContent = k === 'report' ? '举报人信息' : k === 'inquiry' ? '咨询人信息' : '投诉人信息';
  }
  form.addEventListener('change', function (e) {
    if (e.target.name === 'kind' || e.target.id === 'anonymous') { update(); clearErrors(form); say(msg, ''); }
  });

  // Regions: prefectures and their counties from GET /v1/regions (cached).
  var regions = null, loading = false;
  function loadRegions() {
    if (regions || loading) return;
    loading = true;
    fetchT('v1/regions', {}).then(function (r) {
      loading = false;
      if (r.status !== 200 || !r.data) throw new Error('regions ' + r.status);
      regions = r.data.prefectures;
      regions.forEach(function (p) { pre.add(new Option(p.name, p.code)); });
      pre.options[0].text = '市（州）';
      document.documentElement.setAttribute('data-regions', String(regions.length));
    }).catch(function () {
      loading = false;
      pre.options[0].text = '加载失败，点此重试';
    });
  }
  pre.addEventListener('focus', loadRegions);
  pre.addEventListener('change', function () {
    county.length = 1;
    var p = regions && regions.filter(function (x) { return x.code === pre.value; })[0];
    if (p) p.counties.forEach(function (c) { county.add(new Option(c.name, c.code)); });
    county.disabled = !p;
  });

  // Lookup by case id and tracking code.
  var DUE = { acceptance: '受理决定', verification: '核查', mediation: '调解', hotline_12345: '12345工单' };
  function fmtTime(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return iso || '';
    try { return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }); } catch (e) { return d.toISOString(); }
  }
  function lookup() {
    clearErrors(lform);
    say(lmsg, '');
    var id = $('l-id').value.replace(/\s+/g, '').toUpperCase(), code = $('l-code').value.trim();
    var errs = 0, bad = function (el, text) { $(el.id + '-err').textContent = text; el.setAttribute('aria-invalid', 'true'); if (!errs++) el.focus(); };
    if (!id) bad($('l-id'), '请填写登记编号');
    else if (!/^QH[0-9]{8}-[0-9A-Z]{10}$/.test(id)) bad($('l-id'), '登记编号格式应为 QH+8位日期-10位字母数字');
    if (!code) bad($('l-code'), '请填写查询码');
    if (errs) return;
    $('status').hidden = true;
    lbtn.disabled = true;
    lbtn.textContent = '正在查询…';
    var end = function () { lbtn.disabled = false; lbtn.textContent = '查询'; };
    fetchT('v1/complaints/' + encodeURIComponent(id), { headers: { 'X-Tracking-Code': code } }).then(function (r) {
      end();
      if (r.status === 200 && r.data) { show(r.data); return; }
      if (r.status === 404) say(lmsg, '没有找到相符的记录，请核对登记编号和查询码。');
      else say(lmsg, (r.status >= 500 || r.status === 429 ? '服务暂时繁忙，' : '查询未成功，') + '请稍后再试。');
      lmsg.focus();
    }, function () {
      end();
      say(lmsg, '网络不稳定，查询未完成，请检查网络后重试。');
      lmsg.focus();
    });
  }
  function show(v) {
    $('s-id').textContent = v.id;
    $('s-status').textContent = v.status_text + (v.overdue ? '（已超期）' : '');
    $('s-status').className = v.overdue ? 'over' : '';
    $('s-unit').textContent = v.unit && v.unit.name ? v.unit.name : '尚未分派';
    $('s-due').textContent = v.due && v.due.due_date ? v.due.due_date + (DUE[v.due.kind] ? '（' + DUE[v.due.kind] + '期限）' : '') : '—';
    $('s-received').textContent = fmtTime(v.received_at);
    // The agency a referral goes to, the ODR enterprise first, a reply, why not accepted.
    var note = [v.answer || (v.odr ? '已转ODR企业“' + v.odr.name + '”先行协商' + (v.odr.contact ? '（' + v.odr.contact + '）' : '') + '，协商不成可要求市场监管部门处理。' : ''),
      v.reply && '答复：' + v.reply, v.reason && '理由：' + v.reason].filter(Boolean).join(' ');
    $('s-note').textContent = note;
    $('s-note').hidden = $('s-note-t').hidden = !note;
    $('status').hidden = false;
    $('status').focus();
  }
  lform.addEventListener('submit', function (e) { e.preventDefault(); if (!lbtn.disabled) lookup(); });

  // Two views on one page: #file (default) and #lookup.
  function route() {
    var look = location.hash === '#lookup';
    $('file').hidden = look;
    $('lookup').hidden = !look;
    $('nav-file').setAttribute('aria-current', look ? 'false' : 'page');
    $('nav-lookup').setAttribute('aria-current', look ? 'page' : 'false');
  }
  window.addEventListener('hashchange', route);

  route();
  update();
  loadRegions();
  document.documentElement.setAttribute('data-ready', '1');
})();
