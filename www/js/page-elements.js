// The playground page's elements, looked up once by id (see index.html).
const $ = (id) => document.getElementById(id);

export function findPageElements() {
  return {
    app: $('app'), loading: $('loading'), notices: $('notices'),
    pad: $('pad'), preview: $('input-preview'), clear: $('clear-button'), sample: $('sample-button'),
    source: $('digit-source'), summary: $('prediction-summary'), bars: $('output-bars'),
    untrained: $('untrained-note'), quickTrain: $('quick-train'),
    network: $('network-view'), tooltip: $('network-tooltip'), connectionNote: $('connection-note'),
    neuron: { title: $('neuron-title'), values: $('neuron-values'), figure: $('neuron-figure'), weights: $('neuron-weights'), figureCaption: $('neuron-figure-caption') },
    desired: $('desired-label'), prev: $('step-prev'), play: $('step-play'), next: $('step-next'), speed: $('step-speed'),
    dots: $('step-dots'), stepTitle: $('step-title'), stepCaption: $('step-caption'), stepTable: $('step-table'), legend: $('legend-list'),
    trainPlay: $('train-play'), trainStep: $('train-step'), trainReset: $('train-reset'), pace: $('train-pace'),
    diverged: $('diverged'), divergedMessage: $('diverged-message'), divergedDetail: $('diverged-detail'),
    restoreWeights: $('restore-weights'), lowerRate: $('lower-lr'),
    dataImages: $('data-images'), dataLabels: $('data-labels'), useData: $('use-data'), useDigits: $('use-digits'), dataMessage: $('data-message'),
    trainKey: $('train-key'), heldoutKey: $('heldout-key'), confusionTitle: $('confusion-title'), confusionHint: $('confusion-hint'), galleryTitle: $('gallery-title'),
    stat: { step: $('stat-step'), epoch: $('stat-epoch'), speed: $('stat-speed'), heldout: $('stat-heldout') },
    settings: $('settings'), settingsMessage: $('settings-message'),
    lr: $('set-lr'), batch: $('set-batch'), optimizer: $('set-optimizer'), l2: $('set-l2'),
    activation: $('set-activation'), loss: $('set-loss'), seed: $('set-seed'), newSeed: $('new-seed'),
    layers: $('layer-list'), addLayer: $('add-layer'),
    lossChart: $('loss-chart'), accuracyChart: $('accuracy-chart'),
    confusion: $('confusion'), gallery: $('gallery'), galleryEmpty: $('gallery-empty'),
    save: $('save-model'), load: $('load-model'), copyLink: $('copy-link'), modelMessage: $('model-message'),
    palette: $('palette-toggle'),
    playerBlock: $('player-block'), narrowSlot: $('narrow-player-slot'),
  };
}
