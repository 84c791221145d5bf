// Renders the documents of a dedupe HTML report a page at a time from the
// JSON blocks of the page. No network, no library. Text is always inserted
// as text (textContent), never as markup.
(function () {
  'use strict';
  var started = performance.now();
  var byId = function (id) { return document.getElementById(id); };
  var readJson = function (id) { return JSON.parse(byId(id).textContent); };

  // --- Data -------------------------------------------------------------
  var index = readJson('dd-index'); // [{n, path, in, out, paras, kept, tags}]
  var groups = readJson('dd-groups'); // the report's duplicate_groups
  var documentGroups = readJson('dd-document-groups');
  var chunks = document.querySelectorAll('script.dd-chunk');
  var CHUNK = Number(document.body.getAttribute('data-chunk'));
  var parsed = [];
  var position = new Map(); // document number -> position in index
  var byPath = new Map(); // path -> document number
  index.forEach(function (d, i) { position.set(d.n, i); byPath.set(d.path, d.n); });

  function data(i) {
    var c = Math.floor(i / CHUNK);
    if (!parsed[c]) parsed[c] = JSON.parse(chunks[c].textContent);
    return parsed[c][i % CHUNK];
  }

  // Kept paragraphs that have removed exact copies: "path|para" -> copies.
  var copiesOf = new Map();
  groups.forEach(function (g) { copiesOf.set(g.kept.path + '|' + g.kept.paragraph, g.copies); });
  // Documents that are near-duplicates of an earlier one: path -> member.
  var memberOf = new Map();
  var keptGroup = new Map();
  documentGroups.forEach(function (g) {
    keptGroup.set(g.kept, g.members);
    g.members.forEach(function (m) { memberOf.set(m.path, m); });
  });

  var params = new URLSearchParams(location.search);
  var PER = Math.max(1, Number(params.get('per')) || 20);
  var state = {
    filter: params.get('filter') || '', query: (params.get('q') || '').trim(),
    removedOnly: false, page: 0, list: []
  };
  var GROUPS_PER = 50;
  var groupPage = 0;

  // --- Small DOM helpers ------------------------------------------------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

  // A link to paragraph `para` of document `n` (or to the document), or
  // plain text when that document is not on this page.
  function linkTo(n, para, self) {
    var d = position.has(n) ? index[position.get(n)] : null;
    var name = d ? d.path : 'document ' + n;
    var label = para === undefined ? name
      : (n === self ? '¶' + para + ' of this document' : name + ' ¶' + para);
    if (!d) return el('span', { 'class': 'missing', title: 'not on this page' }, [label]);
    var href = '#d' + n + (para === undefined ? '' : '-p' + para);
    return el('a', { href: href, 'class': 'to-kept' }, [label]);
  }
  function linkToPath(path, para) {
    return byPath.has(path) ? linkTo(byPath.get(path), para)
      : el('span', { 'class': 'missing' }, [path + (para === undefined ? '' : ' ¶' + para)]);
  }

  // Text with the matches of the search highlighted.
  function withHits(parent, text) {
    if (!state.query) { parent.textContent = text; return parent; }
    var re = new RegExp(escapeRe(state.query), 'gi');
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el('span', { 'class': 'hit' }, [m[0]]));
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  // --- Documents ----------------------------------------------------------
  function reasonLine(why, self) {
    switch (why.k) {
      case 'boilerplate':
        return [el('span', { 'class': 'reason' }, ['boilerplate']), ' · rule ',
          el('code', null, [why.rule])];
      case 'duplicate':
        return [el('span', { 'class': 'reason' }, ['duplicate']), ' of ', linkTo(why.doc, why.para, self)];
      case 'near-duplicate':
        return [el('span', { 'class': 'reason' }, ['near-duplicate']),
          ' (similarity ' + why.sim + ') of ', linkTo(why.doc, why.para, self)];
      case 'corpus-duplicate':
        return [el('span', { 'class': 'reason' }, ['duplicate']), ' of ', corpusPlace(why),
          ' in the indexed corpus'];
      case 'corpus-near-duplicate':
        return [el('span', { 'class': 'reason' }, ['near-duplicate']),
          ' (similarity ' + why.sim + ') of ', corpusPlace(why), ' in the indexed corpus'];
      case 'duplicate-document':
        return [el('span', { 'class': 'reason' }, ['removed with its document']),
          ', a near-duplicate (similarity ' + why.sim + ') of ', linkTo(why.doc)];
    }
    return [why.k];
  }
  function corpusPlace(why) { return el('code', null, [why.path + ' ¶' + why.para]); }
  // The kind a removal is shown and filtered as: a copy of the indexed
  // corpus is a duplicate or near-duplicate like any other.
  function kindOf(why) { return why.k.replace(/^corpus-/, ''); }
  function reasonName(why) { return why.k === 'boilerplate' ? why.rule : kindOf(why); }
  function matchesFilter(why) {
    if (!state.filter || state.filter === 'removed') return true;
    return state.filter === (why.k === 'boilerplate' ? 'boilerplate:' + why.rule : kindOf(why));
  }

  function renderDoc(i) {
    var d = index[i], doc = data(i);
    var removed = d.paras - d.kept;
    var header = el('header', null, [
      el('h3', null, [el('a', { href: '#d' + d.n }, [d.path])]),
      el('span', { 'class': 'stats' }, [plural(d.paras, 'paragraph') + ' · ' + d.kept + ' kept · '
        + removed + ' removed · ' + d['in'] + ' → ' + d.out + ' bytes'])
    ]);
    var member = memberOf.get(d.path);
    if (member) {
      header.appendChild(el('span', { 'class': 'docnote' }, ['Near-duplicate document (similarity '
        + member.similarity + ') of ', linkToPath(member.matches)]));
    }
    var members = keptGroup.get(d.path);
    if (members) {
      var note = el('span', { 'class': 'docnote' }, ['Kept; near-duplicate documents: ']);
      members.forEach(function (m, k) {
        if (k) note.appendChild(document.createTextNode(', '));
        note.appendChild(linkToPath(m.path));
      });
      header.appendChild(note);
    }
    var body = el('div', { 'class': 'paras' });
    doc.p.forEach(function (p, k) {
      var start = p[0], end = p[1], text = p[2], why = p[3];
      if (!why && state.removedOnly) return;
      var id = 'd' + d.n + '-p' + k;
      var pn = el('span', { 'class': 'pn', title: 'paragraph ' + k + ', bytes [' + start + ', ' + end + ')' }, ['¶' + k]);
      var row;
      if (!why) {
        row = el('div', { 'class': 'para kept', id: id }, [pn, withHits(el('div', { 'class': 'text' }), text)]);
        var copies = copiesOf.get(d.path + '|' + k);
        if (copies) {
          var line = el('div', { 'class': 'copies' }, ['kept; copies removed: ']);
          copies.forEach(function (c, j) {
            if (j) line.appendChild(document.createTextNode(', '));
            line.appendChild(byPath.get(c.path) === d.n
              ? linkTo(d.n, c.paragraph, d.n) : linkToPath(c.path, c.paragraph));
          });
          row.appendChild(line);
        }
      } else {
        var cls = 'para removed k-' + kindOf(why) + (matchesFilter(why) ? '' : ' dim');
        var mark = withHits(el('mark', { 'class': 'text', 'data-kind': kindOf(why), 'data-reason': reasonName(why) }), text);
        row = el('div', { 'class': cls, id: id }, [pn, mark, el('div', { 'class': 'why' }, reasonLine(why, d.n))]);
      }
      body.appendChild(row);
    });
    if (!body.firstChild) {
      body.appendChild(el('p', { 'class': 'help' }, [d.paras ? 'Nothing removed.' : 'No paragraphs: the file is empty or blank.']));
    }
    return el('article', { 'class': 'doc', id: 'd' + d.n }, [header, body]);
  }

  function searchHit(i) {
    var d = index[i];
    var re = new RegExp(escapeRe(state.query), 'i');
    if (re.test(d.path)) return true;
    return data(i).p.some(function (p) { return re.test(p[2]); });
  }

  function filterList() {
    state.list = [];
    for (var i = 0; i < index.length; i++) {
      var d = index[i];
      if (state.filter === 'removed' && d.kept === d.paras) continue;
      if (state.filter && state.filter !== 'removed' && d.tags.indexOf(state.filter) < 0) continue;
      if (state.query && !searchHit(i)) continue;
      state.list.push(i);
    }
  }

  function pager(box, page, pages, total, noun, turn) {
    box.textContent = '';
    var prev = el('button', { type: 'button' }, ['‹ previous']);
    var next = el('button', { type: 'button' }, ['next ›']);
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener('click', function () { turn(page - 1); });
    next.addEventListener('click', function () { turn(page + 1); });
    box.appendChild(prev);
    box.appendChild(el('span', { 'class': 'page-of' }, ['page ' + (pages ? page + 1 : 0) + ' of ' + pages
      + ' · ' + plural(total, noun)]));
    box.appendChild(next);
  }

  function renderDocuments() {
    var list = byId('doc-list');
    var pages = Math.ceil(state.list.length / PER);
    state.page = Math.max(0, Math.min(state.page, pages - 1));
    list.textContent = '';
    var shown = state.list.slice(state.page * PER, (state.page + 1) * PER);
    shown.forEach(function (i) { list.appendChild(renderDoc(i)); });
    if (!shown.length) list.appendChild(el('p', { 'class': 'empty-list' }, ['No document matches.']));
    var turn = function (p) { state.page = p; renderDocuments(); byId('documents').scrollIntoView(); };
    pager(byId('pager-top'), state.page, pages, state.list.length, 'document', turn);
    pager(byId('pager-bottom'), state.page, pages, state.list.length, 'document', turn);
  }

  function refilter() {
    filterList();
    state.page = 0;
    renderDocuments();
  }

  function fillFilter() {
    var counts = new Map();
    index.forEach(function (d) {
      d.tags.forEach(function (t) { counts.set(t, (counts.get(t) || 0) + 1); });
    });
    var order = ['duplicate', 'near-duplicate', 'duplicate-document'];
    var tags = Array.from(counts.keys()).sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      if (ia !== ib) return (ia < 0 ? 9 : ia) - (ib < 0 ? 9 : ib);
      return a < b ? -1 : a > b ? 1 : 0;
    });
    var select = byId('filter');
    tags.forEach(function (t) {
      var label = t.indexOf('boilerplate:') === 0 ? 'boilerplate: ' + t.slice(12) : t;
      select.appendChild(el('option', { value: t }, [label + ' (' + plural(counts.get(t), 'document') + ')']));
    });
    select.value = state.filter;
    if (select.value !== state.filter) state.filter = '';
  }

  // --- Repeated paragraphs and duplicate documents ------------------------
  function excerptOf(path, para) {
    if (!byPath.has(path)) return '';
    var p = data(position.get(byPath.get(path))).p[para];
    var text = p ? p[2].replace(/\s+/g, ' ') : '';
    return text.length > 160 ? text.slice(0, 159) + '…' : text;
  }

  function renderGroups() {
    var list = byId('group-list');
    list.textContent = '';
    var pages = Math.ceil(groups.length / GROUPS_PER);
    groups.slice(groupPage * GROUPS_PER, (groupPage + 1) * GROUPS_PER).forEach(function (g) {
      var copies = el('ul');
      g.copies.forEach(function (c) {
        copies.appendChild(el('li', null, ['removed: ', linkToPath(c.path, c.paragraph)]));
      });
      list.appendChild(el('div', { 'class': 'group' }, [
        el('div', null, ['kept: ', linkToPath(g.kept.path, g.kept.paragraph), ' · ',
          g.copies.length + (g.copies.length === 1 ? ' copy' : ' copies'), ' removed']),
        el('div', { 'class': 'excerpt' }, [excerptOf(g.kept.path, g.kept.paragraph)]),
        copies
      ]));
    });
    if (!groups.length) list.appendChild(el('p', { 'class': 'empty-list' }, ['No paragraph was found twice.']));
    pager(byId('group-pager'), groupPage, pages, groups.length, 'group', function (p) {
      groupPage = p; renderGroups();
    });
  }

  function renderDocumentGroups() {
    var list = byId('document-group-list');
    list.textContent = '';
    documentGroups.forEach(function (g) {
      var members = el('ul');
      g.members.forEach(function (m) {
        members.appendChild(el('li', null, [linkToPath(m.path), ' · similarity ' + m.similarity
          + ' to ', linkToPath(m.matches)]));
      });
      list.appendChild(el('div', { 'class': 'group' }, [el('div', null, ['kept: ', linkToPath(g.kept)]), members]));
    });
    if (!documentGroups.length) list.appendChild(el('p', { 'class': 'empty-list' }, ['No near-duplicate documents.']));
  }

  // --- Tabs and navigation --------------------------------------------------
  var rendered = {};
  function showTab(name) {
    document.querySelectorAll('nav.tabs button').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-tab') === name);
    });
    document.querySelectorAll('section.tab').forEach(function (s) { s.hidden = s.id !== name; });
    if (!rendered[name]) {
      rendered[name] = true;
      if (name === 'groups') renderGroups();
      if (name === 'document-groups') renderDocumentGroups();
    }
  }

  // Shows the document or paragraph named by `hash` (#d<n> or #d<n>-p<k>):
  // turns to its page, clearing the filters if they hide it, and marks it.
  function go(hash) {
    var m = /^#d(\d+)(?:-p(\d+))?$/.exec(hash);
    if (!m || !position.has(Number(m[1]))) return false;
    var i = position.get(Number(m[1]));
    showTab('documents');
    var at = state.list.indexOf(i);
    var para = m[2] === undefined ? undefined : data(i).p[Number(m[2])];
    var kept = para !== undefined && !para[3];
    if (at < 0 || (kept && state.removedOnly)) {
      state.filter = ''; state.query = ''; state.removedOnly = false;
      byId('filter').value = ''; byId('search').value = ''; byId('removed-only').checked = false;
      filterList();
      at = state.list.indexOf(i);
    }
    var page = Math.floor(at / PER);
    if (page !== state.page || !byId(hash.slice(1))) { state.page = page; renderDocuments(); }
    document.querySelectorAll('.target').forEach(function (e) { e.classList.remove('target'); });
    var target = byId(hash.slice(1));
    if (target) {
      target.classList.add('target');
      target.scrollIntoView({ block: m[2] !== undefined ? 'center' : 'start' });
    }
    return true;
  }

  document.querySelectorAll('nav.tabs button').forEach(function (b) {
    b.addEventListener('click', function () { showTab(b.getAttribute('data-tab')); });
  });
  document.querySelectorAll('button.bar-row[data-filter]').forEach(function (b) {
    b.addEventListener('click', function () {
      state.filter = b.getAttribute('data-filter');
      byId('filter').value = state.filter;
      showTab('documents');
      refilter();
      byId('documents').scrollIntoView();
    });
  });
  byId('filter').addEventListener('change', function (e) { state.filter = e.target.value; refilter(); });
  byId('removed-only').addEventListener('change', function (e) { state.removedOnly = e.target.checked; renderDocuments(); });
  var typing = 0;
  byId('search').addEventListener('input', function (e) {
    clearTimeout(typing);
    typing = setTimeout(function () { state.query = e.target.value.trim(); refilter(); }, 250);
  });
  // A click on a link to the paragraph already in the address bar fires no
  // hashchange: show it again anyway.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#d"]');
    if (a && a.getAttribute('href') === location.hash) { e.preventDefault(); go(location.hash); }
  });
  window.addEventListener('hashchange', function () { go(location.hash); });

  // --- Start ----------------------------------------------------------------
  fillFilter();
  byId('search').value = state.query;
  filterList();
  state.page = Math.max(0, (Number(params.get('page')) || 1) - 1);
  if (!go(location.hash)) {
    renderDocuments();
    if (params.get('tab')) showTab(params.get('tab'));
  }
  // For measurements: how long the first render took, how big the DOM is.
  document.body.setAttribute('data-elements', String(document.getElementsByTagName('*').length));
  document.body.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
  document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
})();
