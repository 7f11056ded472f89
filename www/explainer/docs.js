// embed.html: under each live example, the markup that produced it, ready to copy. The code is
// read from the example itself (leaving out the data-* attributes the element sets on
// itself), so the documentation cannot drift from what is shown.

function markup(node) {
  const attributes = [...node.attributes]
    .filter((a) => !a.name.startsWith('data-'))
    .map((a) => (a.value === '' ? ` ${a.name}` : ` ${a.name}="${a.value.replaceAll('"', '&quot;')}"`));
  const tag = node.localName;
  return `<${tag}${attributes.join('')}></${tag}>`;
}

for (const figure of document.querySelectorAll('figure.example')) {
  const live = figure.querySelector('backprop-lab, iframe');
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.textContent = markup(live);
  pre.append(code);
  figure.append(pre);
}
