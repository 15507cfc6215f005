'use strict';
// The trace types the observatory draws (figures/*.py): bars, lines and points (scatter, always in
// the core), choropleth maps on a geo subplot and their labels (scattergeo). Nothing else is bundled.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo')
]);

module.exports = Plotly;
