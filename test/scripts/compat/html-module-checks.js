// The behaviours k6's own k6/html tests cover (js/modules/k6/html/html_test.go, element_test.go,
// elements_test.go, serialize_test.go), one check per case, on Stampede's own documents
// (fixtures/html-pages/: a timetable page, a notice panel, a page of every control kind, a booking
// form). Each expected value follows from k6's Go code (goquery and golang.org/x/net/html) applied
// to these documents. Run by test/engine-compat-examples.test.ts.
import html from 'k6/html';
import { check } from 'k6';

const page = (name) => open(`../fixtures/html-pages/${name}.html`);
const SRC = { html: page('timetable'), element: page('notice'), elements: page('controls'), serialize: page('booking-form') };

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b) && (a === undefined) === (b === undefined);
}
/** A check named `name` that `fn()` gives `expected`; a mismatch is logged with both values. */
function t(name, fn, expected) {
  let got;
  try {
    got = fn();
  } catch (e) {
    got = { threw: String(e) };
  }
  const ok = same(got, expected);
  if (!ok) console.error(`${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(expected)}`);
  check(null, { [name]: () => ok });
}
function throws(name, fn, sub) {
  let msg = null;
  try {
    fn();
  } catch (e) {
    msg = String(e);
  }
  const ok = msg !== null && msg.includes(sub);
  if (!ok) console.error(`${name}: threw ${JSON.stringify(msg)}, want ${JSON.stringify(sub)}`);
  check(null, { [name]: () => ok });
}

export function htmlTest() {
  const doc = html.parseHTML(SRC.html);
  // XML read through the HTML parser: element names come back lower-cased.
  const xml = `<Inventory><Shelves><Shelf><Restocked>1700000100</Restocked><Label>tinned-fish</Label></Shelf>
<Shelf><Restocked>1700000200</Restocked><Label>dry-pasta</Label></Shelf></Shelves>
<Clerk><Name>Rui</Name><Badge>7</Badge></Clerk></Inventory>`;

  
  t('Find', () => [doc.find('h1').size(), doc.find('h1').text()], [1, 'Ferries today']);
  t('Single first', () => [doc.single('p').size(), doc.single('p').text().slice(0, 17)], [1, 'Departures run ev']);
  t('Single chain', () => doc.find('body').single('option').text(), 'lower');
  t('Single multi receivers', () => [doc.find('select').single('option').size(), doc.find('select').single('option').text()], [1, 'lower']);
  t('Single end', () => doc.find('select').single('option').end().first().attr('id'), 'deck');
  t('Single empty', () => doc.single('.missing').size(), 0);
  t('Add selector', () => [doc.find('h1').add('footer').size(), doc.find('h1').add('footer').text()], [2, 'Ferries todayTickets are non-refundable.']);
  t('Add selection', () => doc.find('h1').add(doc.find('footer')).text(), 'Ferries todayTickets are non-refundable.');
  t('Text', () => doc.find('h1').text(), 'Ferries today');
  t('Attr', () => doc.find('h1').attr('id'), 'masthead');
  t('Attr default', () => doc.find('h1').attr('id', 'default'), 'masthead');
  t('Attr unset', () => doc.find('h1').attr('class') === undefined, true);
  t('Attr unset default', () => doc.find('h1').attr('class', 'default'), 'default');
  t('Html', () => doc.find('h1').html(), 'Ferries today');
  t('Val input', () => doc.find('#passenger').val(), 'M. Okafor');
  t('Val option[selected]', () => doc.find('#deck option[selected]').val(), 'upper deck');
  t('Val select attr', () => doc.find('#deck').val(), 'upper deck');
  t('Val select text', () => doc.find('#cabin').val(), 'window cabin');
  t('Val select multi', () => doc.find('#meals').val(), ['lunch', 'supper']);
  t('Val textarea', () => doc.find('#notes').val(), 'Travelling with a bicycle');
  t('Children all', () => [doc.find('head').children().size(), doc.find('head').children().is('title')], [1, true]);
  t('Children p', () => [doc.find('body').children('p').size(), doc.find('body').children('p').last().text().slice(0, 14)], [2, 'Return crossin']);
  t('Closest', () => doc.find('textarea').closest('form').attr('id'), 'booking');
  t('Contents', () => [doc.find('head').contents().size(), doc.find('head').contents().first().text()], [3, '\n  ']);
  t('Each', () => { const e = []; doc.find('#meals option').each(function (idx, elem) { e[idx] = elem.innerHTML(); }); return e; }, ['breakfast', 'lunch', 'supper']);
  throws('Each invalid', () => doc.find('#meals option').each(''), 'must be a function');
  t('Is string', () => doc.find('h1').is('h1'), true);
  t('Is function', () => doc.find('h1').is(function (idx, val) { return val.text() == 'Ferries today'; }), true);
  t('Is selection', () => doc.find('body').children().first().is(doc.find('h1')), true);
  t('Filter string', () => doc.find('body').children().filter('p').size(), 2);
  t('Filter function', () => doc.find('body').children().filter(function (idx, val) { return val.is('p'); }).size(), 2);
  t('Filter selection', () => doc.find('body').children().filter(doc.find('p')).size(), 2);
  t('End', () => doc.find('body').children().filter('p').end().size(), 5);
  t('Eq', () => doc.find('body').children().eq(3).attr('id'), 'booking');
  t('First', () => doc.find('body').children().first().attr('id'), 'masthead');
  t('Last', () => doc.find('body').children().last().text(), 'Tickets are non-refundable.');
  t('Has string', () => doc.find('body').children().has('input').size(), 1);
  t('Has selection', () => doc.find('body').children().has(doc.find('input')).size(), 1);
  t('Map valid', () => doc.find('#meals option').map(function (idx, val) { return val.text(); }), ['breakfast', 'lunch', 'supper']);
  t('Map strings typeof', () => doc.find('#meals option').map(function (idx, val) { return val.text(); }).map((v) => typeof v), ['string', 'string', 'string']);
  throws('Map invalid', () => doc.find('#meals option').map(''), 'must be a function');
  t('Map attr', () => doc.find('#meals').map(function (idx, val) { return val.attr('name'); }), ['meals']);
  t('Map XML', () => {
    const xdoc = html.parseHTML(xml);
    return xdoc.find('Shelves').children().map(function (idx, shelf) {
      const o = {};
      shelf.children().each(function (idx, elem) {
        if (elem.nodeName() === 'restocked') o.restocked = Number(elem.textContent());
        else if (elem.nodeName() === 'label') o.label = elem.textContent();
      });
      return o;
    });
  }, [{ restocked: 1700000100, label: 'tinned-fish' }, { restocked: 1700000200, label: 'dry-pasta' }]);
  t('Next', () => [doc.find('h1').next().size(), doc.find('h1').next().is('p')], [1, true]);
  t('Next filter', () => doc.find('p').next('form').size(), 1);
  t('NextAll', () => doc.find('h1').nextAll().size(), 4);
  t('NextAll filter', () => doc.find('h1').nextAll('p').size(), 2);
  t('Prev', () => doc.find('footer').prev().is('form'), true);
  t('Prev filter', () => doc.find('footer').prev('form').size(), 1);
  t('PrevAll', () => doc.find('form').prevAll().size(), 3);
  t('PrevAll filter', () => doc.find('form').prevAll('p').size(), 2);
  t('PrevUntil string', () => doc.find('footer').prevUntil('h1').size(), 3);
  t('PrevUntil query', () => doc.find('footer').prevUntil(doc.find('h1')).size(), 3);
  t('PrevUntil string filtered', () => doc.find('form').prevUntil('h1', 'p').size(), 2);
  t('PrevUntil query filtered', () => doc.find('form').prevUntil(doc.find('h1'), 'p').size(), 2);
  t('PrevUntil all', () => doc.find('footer').prevUntil().size(), 4);
  t('PrevUntil all filtered', () => doc.find('footer').prevUntil(null, 'p').size(), 2);
  t('NextUntil string', () => doc.find('h1').nextUntil('footer').size(), 3);
  t('NextUntil query', () => doc.find('h1').nextUntil(doc.find('footer')).size(), 3);
  t('NextUntil string filtered', () => doc.find('h1').nextUntil('footer', 'p').size(), 2);
  t('NextUntil query filtered', () => doc.find('h1').nextUntil(doc.find('footer'), 'p').size(), 2);
  t('NextUntil all', () => doc.find('h1').nextUntil().size(), 4);
  t('NextUntil all filtered', () => doc.find('h1').nextUntil(null, 'p').size(), 2);
  t('Parent', () => doc.find('textarea').parent().attr('id'), 'booking');
  t('Parent filtered', () => doc.find('textarea').parent('form').attr('id'), 'booking');
  t('Parents', () => doc.find('textarea').parents().size(), 3);
  t('Parents filtered', () => doc.find('textarea').parents('body').size(), 1);
  t('ParentsUntil string', () => doc.find('textarea').parentsUntil('html').size(), 2);
  t('ParentsUntil query', () => doc.find('textarea').parentsUntil(doc.find('html')).size(), 2);
  t('ParentsUntil string filtered', () => doc.find('textarea').parentsUntil('html', 'body').size(), 1);
  t('ParentsUntil query filtered', () => doc.find('textarea').parentsUntil(doc.find('html'), 'body').size(), 1);
  t('ParentsUntil all', () => doc.find('textarea').parentsUntil().size(), 3);
  t('ParentsUntil all filtered', () => doc.find('textarea').parentsUntil(null, 'body').size(), 1);
  t('Not string', () => doc.find('body').children().not('p').size(), 3);
  t('Not selection', () => doc.find('body').children().not(doc.find('p')).size(), 3);
  t('Not function', () => doc.find('body').children().not(function (idx, val) { return val.is('p'); }).size(), 3);
  t('Siblings', () => doc.find('form').siblings().size(), 4);
  t('Siblings filtered', () => doc.find('form').siblings('p').size(), 2);
  t('Slice', () => [doc.find('body').children().slice(1, 2).size(), doc.find('body').children().slice(1, 2).is('p'), doc.find('body').children().slice(1, 2).text().includes('forty minutes from the north pier')], [1, true, true]);
  t('Slice from', () => [doc.find('body').children().slice(3).size(), doc.find('body').children().slice(3).eq(0).is('form')], [2, true]);
  t('Get', () => { const e = doc.find('body').children().get(); return [e[0].nodeName(), e[1].nodeName(), e[4].nodeName(), e.length]; }, ['h1', 'p', 'footer', 5]);
  t('Get +ve', () => doc.find('body').children().get(1).innerHTML().includes('Bicycles travel free'), true);
  t('Get -ve', () => doc.find('body').children().get(-1).innerHTML(), 'Tickets are non-refundable.');
  t('ToArray', () => { const a = doc.find('p').toArray(); return [a.length, a[0].size(), a[1].size(), a[0].text().includes('dogs must stay on a lead'), a[1].text().includes('island jetty')]; }, [2, 1, 1, true, true]);
  t('Index', () => doc.find('p').index(), 1);
  t('Index string', () => doc.find('form').index('body > *'), 3);
  t('Index selection', () => doc.find('body').children().index(doc.find('footer')), 4);
  t('Data string', () => doc.find('h1').data('route'), 'north');
  t('Data num a', () => doc.find('h1').data('berth-no'), 42);
  t('Data num b', () => doc.find('h1').data('top-knots'), 12.5);
  // Numbers only when Go's FormatFloat(v, 'f', -1, 64) gives the text back: "7.1" and "30000" do not.
  t('Data not num a', () => doc.find('h1').data('code-a'), '7.10');
  t('Data not num b', () => doc.find('h1').data('code-b'), '3e04');
  t('Data dataset', () => { const d = doc.find('h1').data(); return [d.route, d.berthNo]; }, ['north', 42]);
  t('Data bool', () => doc.find('p').data('on-time'), true);
  t('Data camel', () => doc.find('p').data('onTime'), true);
  t('Data empty', () => doc.find('p').data('delay') == null, true);
  t('Data json', () => doc.find('p').data('cfg').pier, 9);
  t('Data dataset prop', () => doc.find('p').data().onTime, true);
  t('Data dataset obj', () => doc.find('p').data().cfg.pier, 9);
}

export function elementTest() {
  const doc = html.parseHTML(SRC.element);

  
  t('NodeName', () => doc.find('#masthead').get(0).nodeName(), 'h1');
  t('NodeType', () => String(doc.find('#masthead').get(0).nodeType()), '1');
  t('NodeValue', () => String(doc.find('#masthead').get(0).firstChild().nodeValue()), 'Ferries today');
  t('InnerHtml', () => doc.find('span').get(0).innerHTML(), '<b>rough seas</b>');
  t('TextContent', () => doc.find('b').get(0).textContent(), 'rough seas');
  t('OwnerDocument', () => doc.find('body').get(0).ownerDocument().nodeName(), '#document');
  t('Attributes', () => doc.find('div').get(0).attributes().id.value, 'panel');
  t('FirstChild', () => doc.find('div').get(0).firstChild().nodeValue().includes('first words'), true);
  t('LastChild', () => doc.find('div').get(0).lastChild().nodeValue().includes('last words'), true);
  t('ChildElementCount', () => doc.find('body').get(0).childElementCount(), 6);
  t('FirstElementChild', () => doc.find('div').get(0).firstElementChild().textContent().includes('Storm warning '), true);
  t('LastElementChild', () => doc.find('div').get(0).lastElementChild().textContent().includes('Sailings after three'), true);
  t('PreviousSibling', () => doc.find('div').get(0).previousSibling().textContent().includes('before the panel'), true);
  t('NextSibling', () => doc.find('div').get(0).nextSibling().textContent().includes('after the panel'), true);
  t('PreviousElementSibling', () => doc.find('div').get(0).previousElementSibling().textContent().includes('every forty minutes'), true);
  t('NextElementSibling', () => doc.find('div').get(0).nextElementSibling().textContent().includes('Tickets are non-refundable.'), true);
  t('ParentElement', () => doc.find('div').get(0).parentElement().nodeName(), 'body');
  t('ParentNode', () => doc.find('html').get(0).parentNode().nodeName(), '#document');
  t('ParentNode element null', () => doc.find('html').get(0).parentElement() == null, true);
  t('ChildNodes', () => { const n = doc.find('div').get(0).childNodes(); return [n.length, n[0].textContent().includes('first words'), n[8].textContent().includes('last words')]; }, [9, true, true]);
  t('Children', () => { const n = doc.find('div').get(0).children(); return [n.length, n[0].textContent().includes('Storm warning for the'), n[3].textContent().includes('may be cancelled')]; }, [4, true, true]);
  t('Selection', () => doc.find('div').get(0).selection().find('h2').text(), 'Storm warning for the afternoon');
  t('ClassList', () => doc.find('div').get(0).classList(), ['notice', 'wide']);
  t('ClassName', () => doc.find('div').get(0).className(), 'notice wide');
  t('Lang', () => doc.find('div').get(0).lang(), 'cy');
  t('ToString', () => [doc.find('div').get(0).toString(), doc.find('div').get(0).previousSibling().toString()], ['[object html.Node]', '[object #text]']);
  t('HasAttribute', () => [doc.find('div').get(0).hasAttribute('id'), doc.find('div').get(0).hasAttribute('noattr')], [true, false]);
  t('GetAttribute', () => doc.find('div').get(0).getAttribute('id'), 'panel');
  t('GetAttributeNode', () => doc.find('div').get(0).getAttributeNode('id').value, 'panel');
  t('HasAttributes', () => [doc.find('h1').get(0).hasAttributes(), doc.find('footer').get(0).hasAttributes()], [true, false]);
  t('HasChildNodes', () => [doc.find('p').get(0).hasChildNodes(), doc.find('empty').get(0).hasChildNodes()], [true, false]);
  t('IsSameNode', () => [doc.find('p').get(0).isSameNode(doc.find('p').get(1)), doc.find('p').get(0).isSameNode(doc.find('p').get(0))], [false, true]);
  t('IsEqualNode', () => [doc.find('p').get(0).isEqualNode(doc.find('p').get(1)), doc.find('p').get(0).isEqualNode(doc.find('p').get(0))], [true, true]);
  t('GetElementsByClassName', () => doc.find('body').get(0).getElementsByClassName('wide').map((e) => e.id()), ['panel', 'panel_title']);
  t('GetElementsByTagName', () => doc.find('body').get(0).getElementsByTagName('span').length, 2);
  t('QuerySelector', () => doc.find('body').get(0).querySelector('#panel').id(), 'panel');
  t('QuerySelectorAll', () => doc.find('body').get(0).querySelectorAll('span').map((e) => e.id()), ['icon', 'advice']);
  t('Contains', () => [doc.find('html').get(0).contains(doc.find('body').get(0)), doc.find('body').get(0).contains(doc.find('body').get(0))], [true, false]);
  t('Matches', () => doc.find('div').get(0).matches('#panel'), true);
  t('NamespaceURI', () => doc.find('#chart').get(0).namespaceURI(), 'http://www.w3.org/2000/svg');
  t('IsDefaultNamespace', () => [!!doc.find('#chart').get(0).isDefaultNamespace(), !!doc.find('#panel').get(0).isDefaultNamespace()], [false, true]);
}

export function elementsTest() {
  const doc = html.parseHTML(SRC.elements);
  const one = (sel, i = 0) => doc.find(sel).get(i);
  const a = (i) => one('a', i);
  const noHref = () => one('#no_href');

  // Anchors: URL parts as k6's HrefElement reads them from href (Go's net/url), a default port
  // dropped from host() but kept by port() and origin(); an anchor without href gives "" (":" as protocol).
  t('a0 hash', () => a(0).hash(), '#peak');
  t('no-href hash', () => noHref().hash(), '');
  t('a1 host, default port 80 dropped', () => a(1).host(), 'harbour.test');
  t('a2 host, port 8080 kept', () => a(2).host(), 'harbour.test:8080');
  t('a3 host, default port 443 dropped', () => a(3).host(), 'tickets.harbour.test');
  t('a4 host, port 8443 kept', () => a(4).host(), 'tickets.harbour.test:8443');
  t('no-href host', () => noHref().host(), '');
  t('a1 hostname', () => a(1).hostname(), 'harbour.test');
  t('no-href hostname', () => noHref().hostname(), '');
  t('a5 port, written default', () => a(5).port(), '80');
  t('no-href port', () => noHref().port(), '');
  t('a5 username', () => a(5).username(), 'skipper');
  t('no-href username', () => noHref().username(), '');
  t('a5 password', () => a(5).password(), 'hunter2');
  t('no-href password', () => noHref().password(), '');
  t('a5 origin keeps the written port', () => a(5).origin(), 'http://harbour.test:80');
  t('no-href origin', () => noHref().origin(), '');
  t('a1 pathname, none', () => a(1).pathname(), '');
  t('a2 pathname', () => a(2).pathname(), '/timetable/winter');
  t('no-href pathname', () => noHref().pathname(), '');
  t('a4 protocol', () => a(4).protocol(), 'https');
  t('no-href protocol', () => noHref().protocol(), ':');
  t('a6 relList', () => a(6).relList(), ['help', 'license']);
  t('a5 relList, no rel', () => a(5).relList(), []);
  t('a0 search', () => a(0).search(), '?zone=b');
  t('a6 text', () => a(6).text(), 'six');
  t('area toString is its href', () => one('area').toString(), 'harbour-map.html');

  // Buttons: the owner form (ancestor or form="…"), form* attributes falling back to the form's.
  t('button in a form: form', () => one('#buy_btn').form().id(), 'fare_form');
  t('button with form=: form', () => one('#gift_btn').form().id(), 'gift_form');
  t('button without a form: undefined', () => one('#lone_btn').form() === undefined, true);
  t('formAction from the form', () => one('#buy_btn').formAction(), '/buy');
  t('formAction of its own', () => one('#quote_btn').formAction(), '/quote');
  t('formEnctype from the form', () => one('#buy_btn').formEnctype(), 'text/plain');
  t('formEnctype of its own', () => one('#quote_btn').formEnctype(), 'multipart/form-data');
  t('formMethod default', () => one('#buy_btn').formMethod(), 'get');
  t('formMethod of its own', () => one('#quote_btn').formMethod(), 'post');
  t('formNoValidate absent', () => one('#buy_btn').formNoValidate(), false);
  t('formNoValidate present', () => one('#quote_btn').formNoValidate(), true);
  t('formTarget from the form', () => one('#buy_btn').formTarget(), '_self');
  t('formTarget of its own', () => one('#quote_btn').formTarget(), '_top');
  t('labels: one label for=', () => one('#buy_btn').labels().length, 1);
  t('labels: label for= and a wrapping label', () => one('#quote_btn').labels().length, 2);
  t('button name', () => one('#buy_btn').name(), 'buy_btn');
  t('button value', () => one('#quote_btn').value(), 'quote-now');

  t('canvas width', () => one('canvas').width(), 320);
  t('canvas height default', () => one('canvas').height(), 150);
  t('datalist options', () => one('datalist').options().length, 2);
  t('fieldset elements', () => one('fieldset').elements().length, 5);
  t('fieldset type', () => one('fieldset').type(), 'fieldset');
  t('fieldset form', () => one('fieldset').form().id(), 'signup_form');
  t('form elements, the fieldset included', () => one('#signup_form').elements().length, 6);
  t('form length', () => one('#signup_form').length(), 6);
  t('form method default', () => one('#fare_form').method(), 'get');
  t('form method post', () => one('#signup_form').method(), 'post');
  t('input list() is the datalist', () => one('#port_input').list().options().length, 2);
  t('label control', () => one('#quote_btn_label').control().value(), 'quote-now');
  t('label form', () => one('#quote_btn_label').form().id(), 'fare_form');
  t('legend form through its fieldset', () => one('#details_legend').form().id(), 'signup_form');
  t('link relList', () => one('link').relList(), ['preload', 'icon']);
  t('map areas', () => one('#harbour_map').areas().length, 3);
  t('map images: img and object using it', () => one('#harbour_map').images().length, 2);
  t('object form=', () => one('#brochure').form().id(), 'fare_form');

  // Options and selects.
  t('option enabled', () => one('#dish_1').disabled(), false);
  t('option disabled', () => one('#dish_2').disabled(), true);
  t('option in a disabled optgroup', () => one('#dish_3').disabled(), true);
  t('option form through select form=', () => one('#drink_1').form().id(), 'menu_form');
  t('datalist option index', () => one('#port_b').index(), 1);
  t('option index inside an optgroup', () => one('#dish_3').index(), 2);
  t('option label from text', () => one('#dish_1').label(), 'soup');
  t('option label attribute', () => one('#dish_2').label(), 'chef pie');
  t('option text', () => one('#dish_1').text(), 'soup');
  t('option value from text', () => one('#dish_1').value(), 'soup');
  t('option value attribute', () => one('#dish_2').value(), 'pie');
  t('output value', () => one('#total').value(), '12.50');
  t('output defaultValue', () => one('#total').defaultValue(), '12.50');
  t('output labels', () => one('#total').labels().length, 2);
  t('progress max', () => one('#loading').max(), 40);
  t('progress max default', () => one('#idle').max(), 1);
  t('progress value is value/max', () => one('#loading').value(), 0.25);
  t('progress value default', () => one('#idle').value(), 0);
  t('progress position', () => one('#loading').position(), 0.25);
  t('progress position indeterminate', () => one('#idle').position(), -1);
  t('script text', () => one('#boot').text(), 'startTimetable()');
  t('select form=', () => one('#drinks').form().id(), 'menu_form');
  t('select length', () => one('#menu').length(), 3);
  t('select options', () => one('#menu').options().length, 3);
  t('select selectedOptions', () => one('#menu').selectedOptions().length, 2);
  t('select selectedIndex', () => one('#menu').selectedIndex(), 1);
  t('select selectedIndex none', () => one('#drinks').selectedIndex(), -1);
  t('select value', () => one('#menu').value(), 'pie');
  t('style type default', () => one('#theme').type(), 'text/css');

  // Tables: sections, row and cell indices (the loose row sits in a tbody the parser adds).
  t('table caption', () => one('table').caption().textContent(), 'Fare table');
  t('table tHead rows', () => one('table').tHead().rows().length, 1);
  t('table tBodies rows', () => one('table').tBodies()[0].rows().length, 2);
  t('table tFoot rows', () => one('table').tFoot().rows().length, 3);
  t('table rows', () => one('table').rows().length, 7);
  t('cell cellIndex', () => one('#price_cell').cellIndex(), 2);
  t('cell colSpan default', () => one('#price_cell').colSpan(), 1);
  t('cell colSpan', () => one('#zone_cell').colSpan(), 2);
  t('cell rowSpan', () => one('#price_cell').rowSpan(), 2);
  t('cell rowSpan default', () => one('#zone_cell').rowSpan(), 1);
  t('cell headers', () => one('#price_cell').headers(), 'zone_cell');
  t('row cells', () => one('#head_row').cells().length, 3);
  t('row cells: colSpan default', () => one('#head_row').cells()[2].colSpan(), 1);
  t('row cells: colSpan', () => one('#head_row').cells()[1].colSpan(), 2);
  t('row sectionRowIndex in tfoot', () => one('#foot_row').sectionRowIndex(), 2);
  t('row sectionRowIndex of the loose row', () => one('#loose_row').sectionRowIndex(), 0);
  t('row rowIndex in tfoot', () => one('#foot_row').rowIndex(), 3);
  t('row rowIndex of the loose row', () => one('#loose_row').rowIndex(), 6);
  t('video textTracks', () => one('#clip').textTracks().length, 2);
  t('title text', () => one('title').text(), 'Harbour fares');
}

export function serializeTest() {
  const doc = html.parseHTML(SRC.serialize);

  // Unchecked boxes and radios are left out; a checked one without value is "on"; a multiple
  // select is one entry holding its selected values; serialize() sorts by name (Go's url.Values).
  t('serializeArray form', () => doc.find('form').serializeArray(), [
    { name: 'passenger', value: 'M. Okafor' }, { name: 'companion', value: '' }, { name: 'infant', value: '' },
    { name: 'deck', value: 'upper deck' }, { name: 'cabin', value: 'window cabin' }, { name: 'meals', value: ['lunch', 'supper'] },
    { name: 'notes', value: 'Travelling with a bicycle' }, { name: 'insurance', value: 'full cover' }, { name: 'newsletter', value: 'on' },
    { name: 'seat', value: 'by the window' }, { name: 'priority', value: 'on' }]);
  t('serializeArray controls', () => doc.find('input').serializeArray().map((v) => `${v.name}=${v.value}`), [
    'passenger=M. Okafor', 'companion=', 'infant=', 'insurance=full cover', 'newsletter=on', 'seat=by the window', 'priority=on']);
  t('serializeObject', () => {
    const o = doc.find('form').serializeObject();
    return [Object.keys(o).length, o.passenger, o.companion, o.infant, o.deck, o.cabin, o.notes, o.insurance, o.newsletter, o.seat, o.priority, o.meals];
  }, [11, 'M. Okafor', '', '', 'upper deck', 'window cabin', 'Travelling with a bicycle', 'full cover', 'on', 'by the window', 'on', ['lunch', 'supper']]);
  t('serialize', () => doc.find('form').serialize(),
    'cabin=window+cabin&companion=&deck=upper+deck&infant=&insurance=full+cover&meals=lunch&meals=supper&newsletter=on'
    + '&notes=Travelling+with+a+bicycle&passenger=M.+Okafor&priority=on&seat=by+the+window');
}

export default function () {
  htmlTest();
  elementTest();
  elementsTest();
  serializeTest();
}
