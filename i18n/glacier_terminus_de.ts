<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>@default</name>
    <message>
        <location filename="../glacier_provider/engine.py" line="102"/>
        <source>The Glacier Terminus engine interpreter {0} {1}. {2}</source>
        <translation>Der Python-Interpreter der Glacier-Terminus-Engine {0} {1}. {2}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="112"/>
        <source>The engine interpreter {0} cannot import {1} from {2}: the plugin folder must be named {3}.</source>
        <translation>Der Engine-Interpreter {0} kann {1} nicht aus {2} importieren: Der Plugin-Ordner muss {3} heißen.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="116"/>
        <source>lacks the Python package &apos;{0}&apos;</source>
        <translation>hat das Python-Paket '{0}' nicht</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="134"/>
        <source>The plugin folder {0} must be named {1} for the engine to import it ({2}).</source>
        <translation>Der Plugin-Ordner {0} muss {1} heißen, damit die Engine ihn importieren kann ({2}).</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="229"/>
        <source>does not exist</source>
        <translation>existiert nicht</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="237"/>
        <source>Job: {0}</source>
        <translation>Auftrag: {0}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="256"/>
        <source>cannot be started ({0})</source>
        <translation>kann nicht gestartet werden ({0})</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="317"/>
        <source>Cancelling the engine...</source>
        <translation>Engine wird abgebrochen …</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="156"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="366"/>
        <source>The engine ({0}) stopped with exit code {1} without an error message. Last lines of its output:
{2}</source>
        <translation>Die Engine ({0}) endete mit Exit-Code {1} ohne Fehlermeldung. Letzte Zeilen ihrer Ausgabe:
{2}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="366"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="372"/>
        <source>The engine ({0}) finished without a result.</source>
        <translation>Die Engine ({0}) endete ohne Ergebnis.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="91"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="92"/>
        <source>{0} has no field {1} (its fields: {2}).</source>
        <translation>{0} hat kein Feld {1} (Felder: {2}).</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="136"/>
        <source>{0} must be a {1} layer.</source>
        <translation>{0} muss ein {1}-Layer sein.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="167"/>
        <source>{0} has no {1}s.</source>
        <translation>{0} enthält keine Geometrien vom Typ {1}.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="175"/>
        <source>Cannot write {0} to {1}: {2}</source>
        <translation>{0} kann nicht nach {1} geschrieben werden: {2}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/rasters.py" line="19"/>
        <source>{0}: file {1} does not exist.</source>
        <translation>{0}: Die Datei {1} existiert nicht.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/rasters.py" line="20"/>
        <source>{0}: {1} is not a raster GDAL can read.</source>
        <translation>{0}: {1} ist kein Raster, das GDAL lesen kann.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/rasters.py" line="20"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location filename="../glacier_provider/rasters.py" line="23"/>
        <source>{0}: layer &apos;{1}&apos; comes from the &apos;{2}&apos; data provider; the engine needs a raster file read by GDAL (GeoTIFF, ...). Save it to a GeoTIFF first (Raster &gt; Conversion &gt; Translate).</source>
        <translation>{0}: Der Layer '{1}' stammt vom Datenanbieter '{2}'; die Engine braucht eine Rasterdatei, die GDAL liest (GeoTIFF, …). Zuerst als GeoTIFF speichern (Raster &gt; Konvertierung &gt; Übersetzen).</translation>
    </message>
    <message>
        <location filename="../glacier_provider/settings.py" line="65"/>
        <source>No Python interpreter at {0}</source>
        <translation>Kein Python-Interpreter unter {0}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/settings.py" line="75"/>
        <source>Engine Python interpreter (needs torch, rasterio, segmentation-models-pytorch)</source>
        <translation>Python-Interpreter der Engine (benötigt torch, rasterio, segmentation-models-pytorch)</translation>
    </message>
    <message>
        <location filename="../glacier_provider/settings.py" line="75"/>
        <source>Leave blank for {0}</source>
        <translation>Leer lassen für {0}</translation>
    </message>
    <message>
        <location filename="../glacier_provider/settings.py" line="84"/>
        <source>Default device (auto uses CUDA when available)</source>
        <translation>Standardgerät (auto nutzt CUDA, wenn vorhanden)</translation>
    </message>
    <message>
        <location filename="../glacier_provider/engine.py" line="72"/>
        <source>Fix: create the engine&apos;s Python environment with: {0} (a few GB: PyTorch), or set Settings &gt; Options &gt; Processing &gt; Providers &gt; Glacier Terminus &gt; Engine Python interpreter (or the environment variable {1}) to a Python that has torch, rasterio and segmentation-models-pytorch.</source>
        <translation>Abhilfe: die Python-Umgebung der Engine anlegen mit: {0} (einige GB: PyTorch), oder unter Einstellungen &gt; Optionen &gt; Verarbeitung &gt; Anbieter &gt; Glacier Terminus &gt; Python-Interpreter der Engine (oder mit der Umgebungsvariablen {1}) ein Python wählen, das torch, rasterio und segmentation-models-pytorch hat.</translation>
    </message>
    <message>
        <location filename="../glacier_provider/layers.py" line="146"/>
        <source>{0}: its coordinates ({1}) cannot be longitudes and latitudes although the layer says {2} (a GeoJSON file without a &apos;crs&apos; member is read as WGS 84); they are taken to be in the raster&apos;s CRS, {3}. Set the layer&apos;s CRS to say so.</source>
        <translation>{0}: Die Koordinaten ({1}) können keine Längen und Breiten sein, obwohl der Layer {2} angibt (eine GeoJSON-Datei ohne 'crs'-Eintrag wird als WGS 84 gelesen); sie werden im KBS des Rasters genommen, {3}. Geben Sie dem Layer sein KBS, um das zu sagen.</translation>
    </message>
</context>
<context>
    <name>ClassifyPixels</name>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="35"/>
        <source>Classify Pixels (HRNet)</source>
        <translation>Pixel klassifizieren (HRNet)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="36"/>
        <source>Segmentation</source>
        <translation>Segmentierung</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="39"/>
        <source>glacier,calving front,terminus,segmentation,deep learning,hrnet,classify,classification,pixels</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Segmentierung,Deep Learning,HRNet,klassifizieren,Klassifikation,Pixel</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="134"/>
        <source>Input raster</source>
        <translation>Eingaberaster</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="135"/>
        <source>Raster file to classify, with the bands the model expects.</source>
        <translation>Zu klassifizierende Rasterdatei mit den Bändern, die das Modell erwartet.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="144"/>
        <source>Folder with model.json and weights.safetensors; empty for the shipped model.</source>
        <translation>Ordner mit model.json und weights.safetensors; leer für das mitgelieferte Modell.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="167"/>
        <source>Cell size (CRS units; 0 = the model&apos;s)</source>
        <translation>Zellgröße (KBS-Einheiten; 0 = die des Modells)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="168"/>
        <source>Cell size to classify at, in the raster&apos;s CRS units; 0 uses the model&apos;s.</source>
        <translation>Zellgröße der Klassifikation in KBS-Einheiten des Rasters; 0 verwendet die des Modells.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="176"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="183"/>
        <source>auto (CUDA when available, else CPU), cpu or cuda.</source>
        <translation>auto (CUDA, wenn vorhanden, sonst CPU), cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="198"/>
        <source>Extent to classify</source>
        <translation>Zu klassifizierende Ausdehnung</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="199"/>
        <source>Classify only this area; the output covers just this area.</source>
        <translation>Nur dieses Gebiet klassifizieren; die Ausgabe deckt nur dieses Gebiet ab.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="202"/>
        <source>Mask polygons (classify only inside)</source>
        <translation>Maskenpolygone (nur innerhalb klassifizieren)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="208"/>
        <source>Classify only inside these polygons; outside them is NoData.</source>
        <translation>Nur innerhalb dieser Polygone klassifizieren; außerhalb ist NoData.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="211"/>
        <source>Bands (in the model&apos;s order; empty = all)</source>
        <translation>Bänder (in der Reihenfolge des Modells; leer = alle)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="215"/>
        <source>Input bands to classify, in the order of the model&apos;s bands; empty for all bands.</source>
        <translation>Zu klassifizierende Eingabebänder in der Reihenfolge der Modellbänder; leer für alle Bänder.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="224"/>
        <source>Classified raster</source>
        <translation>Klassifiziertes Raster</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="225"/>
        <source>GeoTIFF, uint8: 0 = NoData, classes from 1, with a colour table.</source>
        <translation>GeoTIFF, uint8: 0 = NoData, Klassen ab 1, mit Farbtabelle.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="228"/>
        <source>Class probabilities</source>
        <translation>Klassenwahrscheinlichkeiten</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="234"/>
        <source>Optional float32 GeoTIFF with one band per class.</source>
        <translation>Optionales float32-GeoTIFF mit einem Band pro Klasse.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="249"/>
        <source>EXTENT does not overlap the INPUT raster.</source>
        <translation>EXTENT überlappt das Eingaberaster INPUT nicht.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="285"/>
        <source>Classified on {0}.</source>
        <translation>Klassifiziert auf {0}.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="193"/>
        <source>Glacier flows towards</source>
        <translation>Gletscher fließt nach</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="194"/>
        <source>Which way the glacier flows in the raster: tiles are turned so that it flows as in the model&apos;s training scenes.</source>
        <translation>In welche Richtung der Gletscher im Raster fließt: Kacheln werden so gedreht, dass er wie in den Trainingsszenen des Modells fließt.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="138"/>
        <source>Model package (folder with model.json; empty = the shipped model below)</source>
        <translation>Modellpaket (Ordner mit model.json; leer = das mitgelieferte Modell unten)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="147"/>
        <source>Shipped model (when MODEL is empty)</source>
        <translation>Mitgeliefertes Modell (wenn MODEL leer ist)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="148"/>
        <source>optical_fronts: grey optical scenes, the front as a line; sar_zones: SAR amplitude scenes, zones and the front.</source>
        <translation>optical_fronts: graue optische Szenen, die Front als Linie; sar_zones: SAR-Amplitudenszenen, Zonen und die Front.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="171"/>
        <source>Pixel size of a raster without CRS (m; empty = as it is)</source>
        <translation>Pixelgröße eines Rasters ohne KBS (m; leer = wie es ist)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="173"/>
        <source>Metres per pixel of a PNG: classified at the model&apos;s cell size.</source>
        <translation>Meter pro Pixel eines PNG: in der Zellgröße des Modells klassifiziert.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="218"/>
        <source>Acquisition date (YYYY-MM-DD; empty = from the file name)</source>
        <translation>Aufnahmedatum (JJJJ-MM-TT; leer = aus dem Dateinamen)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="221"/>
        <source>Written into the outputs, where Extract Calving Front reads it.</source>
        <translation>Wird in die Ausgaben geschrieben, wo „Kalbungsfront extrahieren“ es liest.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="186"/>
        <source>Runtime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="187"/>
        <source>auto (onnxruntime on the CPU when installed, else torch), torch or onnxruntime.</source>
        <translation>auto (onnxruntime auf der CPU, wenn installiert, sonst torch), torch oder onnxruntime.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="152"/>
        <source>Padding (pixels; empty = the model&apos;s default)</source>
        <translation>Überlappung (Pixel; leer = Voreinstellung des Modells)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="154"/>
        <source>Context on each tile side in model pixels; empty for the model&apos;s default.</source>
        <translation>Kontext an jeder Kachelseite in Modellpixeln; leer für die Voreinstellung des Modells.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="157"/>
        <source>Largest tile (pixels; 0 = the device&apos;s)</source>
        <translation>Größte Kachel (Pixel; 0 = die des Geräts)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="158"/>
        <source>The largest tile side in model pixels; a model normalised tile by tile runs its training tile.</source>
        <translation>Die größte Kachelseite in Modellpixeln; ein Modell, das Kachel für Kachel normalisiert, rechnet seine Trainingskachel.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="163"/>
        <source>Batch size (training tiles per pass)</source>
        <translation>Stapelgröße (Trainingskacheln pro Durchlauf)</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="164"/>
        <source>Training tiles&apos; worth of pixels per forward pass; lower it if memory runs out.</source>
        <translation>So viele Pixel wie Trainingskacheln pro Durchlauf; verringern, wenn der Speicher nicht reicht.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify_pixels.py" line="66"/>
        <source>Classifies every pixel of a satellite raster (for example a Landsat, Sentinel-2 or Sentinel-1 scene of a glacier front) with a trained segmentation network, and writes a class raster on the input&apos;s grid.
The raster is cut into overlapping tiles, each tile goes through the network, and the overlaps are blended smoothly so no seams appear. A model normalised by a window around each pixel (or by fixed statistics) runs large tiles, up to 640 px on the CPU, chosen to cover the raster in as few as possible: the result does not depend on the tiling. A model normalised tile by tile runs its training tile. The network runs in the Glacier Terminus engine, a separate Python process (see the provider settings).
Input raster (INPUT): a raster file GDAL can read (GeoTIFF, ...) with the bands the model was trained on, in the same order. NoData pixels stay NoData.
Model package (MODEL): a folder holding model.json and weights.safetensors (made by Train Terminus Model). Left empty, the shipped model chosen in SHIPPED_MODEL is used.
Shipped model (SHIPPED_MODEL), used when MODEL is empty: optical_fronts for grey optical scenes (Landsat, Sentinel-2: one band, e.g. the panchromatic or a red band): the calving front as a line; sar_zones for SAR amplitude scenes (Sentinel-1, TerraSAR-X, ERS, Envisat, RADARSAT, ALOS PALSAR: one band): no information, rock, glacier and ocean with the front over them. A model given imagery of the other kind says so.
Padding (PADDING): context on each side of a tile, in model pixels, blended away with the neighbouring tile&apos;s. Leave empty for the default: 32 px for a model that runs large tiles, else a quarter of the model&apos;s tile size; larger values cost time.
Largest tile (TILE_SIZE, advanced): the largest tile side in model pixels; 0 (the default) for the device&apos;s (640 px on the CPU, 2048 px on CUDA). Lower it if memory runs out.
Batch size (BATCH_SIZE): how many of the model&apos;s training tiles&apos; worth of pixels go to the network at once (large tiles: fewer of them, at least one). Lower it if memory runs out.
Cell size (CELL_SIZE): the cell size to classify at, in the raster&apos;s CRS units. 0 uses the model&apos;s own cell size; windows are resampled on the fly and the output stays on the input&apos;s grid.
Pixel size (PIXEL_SIZE, optional): metres per pixel of a raster without CRS (a PNG): it is then classified at the model&apos;s cell size, resampled on the fly. The output lies where QGIS draws such a raster (x = column, y = -row).
Device (DEVICE): auto (CUDA GPU when available, else CPU), cpu or cuda. The default comes from the provider settings. On the command line: DEVICE=cpu.
Runtime (RUNTIME, advanced): what runs the network: auto (the default: onnxruntime on the CPU when it is installed, torch on CUDA), torch or onnxruntime. onnxruntime runs the same network exported to ONNX (once per model, kept in ~/.cache/glacier-terminus); on the CPU it is faster than torch and slows down less when the machine is busy.
Test-time augmentation (TTA): also classify flipped copies of each tile and average them (4 views; 8, with the transposed tile&apos;s flips too, for a model trained with quarter turns); slower, often cleaner. 0 off, 1 on, 2 (the default) the setting the model&apos;s validation was measured with (model.json&apos;s classify; off when it records none): off for the shipped optical model (its folds were as good without it, with its recorded MIN_LENGTH), on for the shipped SAR model (its folds&apos; fronts were closer with it).
Glacier flows towards (FLOW): as_trained, down, right, up or left of the raster. The shipped model learnt fronts from scenes in which the glacier flows up the image (ice below the front, ocean above). Say which way the glacier flows in your raster, and every tile is turned to match the model&apos;s scenes before it is classified and turned back after. as_trained (the default) turns nothing: for rasters that already lie as the model&apos;s scenes did, and for models that do not record which way their glaciers flowed.
Extent (EXTENT): classify only this area (optional); the output then covers just this area, still on the input&apos;s pixel grid. An extent given without a CRS is taken in the raster&apos;s CRS.
Mask (MASK): classify only inside these polygons (optional); the output covers their bounding box on the input&apos;s pixel grid, and pixels outside the polygons are NoData.
Bands (BANDS, optional): the input bands to classify, in the order of the model&apos;s bands, when INPUT has other bands too (for example band 1 of a grey image stored as RGB). Empty uses all bands.
Date (DATE, optional): the scene&apos;s acquisition date YYYY-MM-DD, written into the outputs (where Extract Calving Front finds it); empty to take the date in INPUT&apos;s file name.
Classified raster (OUTPUT): a GeoTIFF (unsigned 8-bit) with 0 = NoData and the model&apos;s classes from 1, with a colour table so QGIS shows the classes at once.
Class probabilities (OUTPUT_PROBABILITIES, optional): a float32 GeoTIFF with one band per class.</source>
        <translation>Klassifiziert jedes Pixel eines Satellitenrasters (zum Beispiel einer Landsat-, Sentinel-2- oder Sentinel-1-Szene einer Gletscherfront) mit einem trainierten Segmentierungsnetz und schreibt ein Klassenraster auf dem Gitter der Eingabe.
Das Raster wird in überlappende Kacheln zerlegt, jede Kachel durchläuft das Netz, und die Überlappungen werden weich überblendet, sodass keine Nähte entstehen. Ein Modell, das mit einem Fenster um jedes Pixel (oder mit festen Statistiken) normalisiert, rechnet große Kacheln, auf der CPU bis 640 px, so gewählt, dass möglichst wenige das Raster bedecken: Das Ergebnis hängt nicht von der Kachelung ab. Ein Modell, das Kachel für Kachel normalisiert, rechnet seine Trainingskachel. Das Netz läuft in der Glacier-Terminus-Engine, einem eigenen Python-Prozess (siehe die Einstellungen des Anbieters).
Eingaberaster (INPUT): eine Rasterdatei, die GDAL lesen kann (GeoTIFF, …), mit den Bändern, auf denen das Modell trainiert wurde, in derselben Reihenfolge. NoData-Pixel bleiben NoData.
Modellpaket (MODEL): ein Ordner mit model.json und weights.safetensors (erzeugt von „Terminusmodell trainieren“). Leer wird das in SHIPPED_MODEL gewählte mitgelieferte Modell verwendet.
Mitgeliefertes Modell (SHIPPED_MODEL), verwendet, wenn MODEL leer ist: optical_fronts für graue optische Szenen (Landsat, Sentinel-2: ein Kanal, z. B. der panchromatische oder ein roter Kanal): die Kalbungsfront als Linie; sar_zones für SAR-Amplitudenszenen (Sentinel-1, TerraSAR-X, ERS, Envisat, RADARSAT, ALOS PALSAR: ein Kanal): keine Information, Fels, Gletscher und Ozean mit der Front darüber. Ein Modell, dem Bilddaten der anderen Art gegeben werden, sagt es.
Überlappung (PADDING): Kontext an jeder Kachelseite, in Modellpixeln, der mit dem der Nachbarkachel überblendet wird. Leer für die Voreinstellung: 32 px für ein Modell, das große Kacheln rechnet, sonst ein Viertel der Kachelgröße des Modells; größere Werte kosten Zeit.
Größte Kachel (TILE_SIZE, erweitert): die größte Kachelseite in Modellpixeln; 0 (die Voreinstellung) für die des Geräts (640 px auf der CPU, 2048 px mit CUDA). Verringern, wenn der Speicher nicht reicht.
Stapelgröße (BATCH_SIZE): wie viele Trainingskacheln des Modells an Pixeln auf einmal an das Netz gehen (große Kacheln: weniger davon, mindestens eine). Verringern, wenn der Speicher nicht reicht.
Zellgröße (CELL_SIZE): die Zellgröße der Klassifikation in KBS-Einheiten des Rasters. 0 verwendet die Zellgröße des Modells; Fenster werden dabei umgerechnet und die Ausgabe bleibt auf dem Gitter der Eingabe.
Pixelgröße (PIXEL_SIZE, optional): Meter pro Pixel eines Rasters ohne KBS (eines PNG): es wird dann in der Zellgröße des Modells klassifiziert, unterwegs umgerechnet. Die Ausgabe liegt, wo QGIS ein solches Raster zeichnet (x = Spalte, y = -Zeile).
Gerät (DEVICE): auto (CUDA-GPU, wenn vorhanden, sonst CPU), cpu oder cuda. Der Standard kommt aus den Einstellungen des Anbieters. Auf der Befehlszeile: DEVICE=cpu.
Laufzeit (RUNTIME, erweitert): was das Netz ausführt: auto (der Standard: onnxruntime auf der CPU, wenn installiert, torch mit CUDA), torch oder onnxruntime. onnxruntime führt dasselbe, nach ONNX exportierte Netz aus (einmal pro Modell, abgelegt in ~/.cache/glacier-terminus); auf der CPU ist es schneller als torch und wird bei ausgelasteter Maschine weniger langsam.
Testzeit-Augmentierung (TTA): auch gespiegelte Kopien jeder Kachel klassifizieren und mitteln (4 Ansichten; 8, mit den Spiegelungen der transponierten Kachel, bei einem mit Vierteldrehungen trainierten Modell); langsamer, oft sauberer. 0 aus, 1 an, 2 (der Standard) die Einstellung, mit der die Validierung des Modells gemessen wurde (classify in model.json; aus, wenn es keine festhält): aus für das mitgelieferte optische Modell (seine Folds waren ohne sie ebenso gut, mit seiner festgehaltenen MIN_LENGTH), an für das mitgelieferte SAR-Modell (die Fronten seiner Folds lagen damit näher).
Gletscher fließt nach (FLOW): as_trained, down, right, up oder left des Rasters. Das mitgelieferte Modell hat Fronten an Szenen gelernt, in denen der Gletscher das Bild hinauf fließt (Eis unterhalb der Front, Ozean oben). Geben Sie an, in welche Richtung der Gletscher in Ihrem Raster fließt, dann wird jede Kachel vor der Klassifikation passend zu den Szenen des Modells gedreht und danach zurückgedreht. as_trained (die Vorgabe) dreht nichts: für Raster, die schon wie die Szenen des Modells liegen, und für Modelle, die nicht festhalten, in welche Richtung ihre Gletscher flossen.
Ausdehnung (EXTENT): nur dieses Gebiet klassifizieren (optional); die Ausgabe deckt dann nur dieses Gebiet ab, weiterhin auf dem Pixelgitter der Eingabe. Eine Ausdehnung ohne KBS gilt im KBS des Rasters.
Maske (MASK): nur innerhalb dieser Polygone klassifizieren (optional); die Ausgabe deckt deren umschließendes Rechteck auf dem Pixelgitter der Eingabe ab, Pixel außerhalb der Polygone sind NoData.
Bänder (BANDS, optional): die zu klassifizierenden Eingabebänder in der Reihenfolge der Modellbänder, wenn INPUT noch weitere Bänder hat (zum Beispiel Band 1 eines als RGB gespeicherten Graustufenbilds). Leer verwendet alle Bänder.
Datum (DATE, optional): das Aufnahmedatum der Szene JJJJ-MM-TT, in die Ausgaben geschrieben (wo „Kalbungsfront extrahieren“ es findet); leer, um das Datum im Dateinamen von INPUT zu nehmen.
Klassifiziertes Raster (OUTPUT): ein GeoTIFF (vorzeichenlos 8 Bit) mit 0 = NoData und den Klassen des Modells ab 1, mit Farbtabelle, sodass QGIS die Klassen sofort zeigt.
Klassenwahrscheinlichkeiten (OUTPUT_PROBABILITIES, optional): ein float32-GeoTIFF mit einem Band pro Klasse.</translation>
    </message>
</context>
<context>
    <name>CscRefine</name>
    <message>
        <location filename="../algorithms/csc_refine.py" line="32"/>
        <source>CSC Refine</source>
        <translation>CSC-Verfeinerung</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="33"/>
        <source>Segmentation</source>
        <translation>Segmentierung</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="36"/>
        <source>glacier,csc,cnn supervised classification,see_ice,refine,patch,mlp,cnn,melange,iceberg,snow,rock</source>
        <translation>Gletscher,CSC,CNN-überwachte Klassifikation,SEE_ICE,verfeinern,Patch,MLP,CNN,Mélange,Eisberg,Schnee,Fels</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="62"/>
        <source>CNN-Supervised Classification (CSC, as in SEE_ICE): learns this one image from a coarse classification of it and gives a sharper map, pixel by pixel.
Input raster (INPUT): the image (all its bands are used).
Coarse classification (COARSE): a class raster (0 = unknown), e.g. from Classify Pixels or a tile classifier, on any grid (another grid is resampled to INPUT&apos;s, nearest neighbour, with a warning); or polygons you drew roughly, with their class in CLASS_FIELD (whole numbers 1-255, or names numbered in sorted order).
Patch size (PATCH_SIZE): 1 trains a small neural network (MLP) on each pixel&apos;s bands; 3, 5, 7 or 15 trains a compact CNN on the window of that many pixels centred on each pixel (more context, slower).
Samples per class (SAMPLES_PER_CLASS): training pixels drawn at random from each class of the coarse map, away from NoData and the image&apos;s edge. A fifth of them is held out to stop training early: after PATIENCE epochs without a better held-out loss, or after EPOCHS.
Device (DEVICE): auto (CUDA GPU when available), cpu or cuda.
Modal filter (MODAL_FILTER): radius in pixels of a majority filter on the result, removing specks; 0 = off.
Validation (VALIDATION, optional): true classes (a class raster, or polygons with their class in VALIDATION_FIELD) to measure the coarse and the refined map against.
Refined classification (OUTPUT): GeoTIFF on INPUT&apos;s grid, uint8, 0 = NoData, colours from COARSE (SEE_ICE&apos;s seven classes when COARSE has no colour table: 1 open water, 2 iceberg water, 3 melange, 4 glacier ice, 5 snow on ice, 6 snow on rock, 7 rock).
Metrics (OUTPUT_METRICS, optional): CSV of precision, recall, F1 and support per class, with accuracy, macro and weighted averages, for the coarse and the refined map against VALIDATION (without VALIDATION: the refined model against the held-out samples).
Report (REPORT): HTML page with the image, validation labels, coarse and refined maps side by side (each titled with its weighted F1), the metrics and the training curve.
Numeric outputs: WEIGHTED_F1 of the refined map and COARSE_WEIGHTED_F1 of the coarse map (with VALIDATION).</source>
        <translation>CNN-überwachte Klassifikation (CSC, wie in SEE_ICE): lernt genau dieses eine Bild aus einer groben Klassifikation davon und liefert Pixel für Pixel eine schärfere Karte.
Eingaberaster (INPUT): das Bild (alle seine Bänder werden verwendet).
Grobe Klassifikation (COARSE): ein Klassenraster (0 = unbekannt), z. B. aus „Pixel klassifizieren“ oder einem Kachelklassifikator, auf beliebigem Gitter (ein anderes Gitter wird mit Warnung per nächstem Nachbarn auf das von INPUT umgerechnet); oder grob gezeichnete Polygone mit ihrer Klasse in CLASS_FIELD (ganze Zahlen 1-255 oder Namen, die in sortierter Reihenfolge nummeriert werden).
Fenstergröße (PATCH_SIZE): 1 trainiert ein kleines neuronales Netz (MLP) auf den Bändern jedes Pixels; 3, 5, 7 oder 15 trainiert ein kompaktes CNN auf dem so großen Fenster um jedes Pixel (mehr Kontext, langsamer).
Stichproben pro Klasse (SAMPLES_PER_CLASS): zufällig aus jeder Klasse der groben Karte gezogene Trainingspixel, abseits von NoData und dem Bildrand. Ein Fünftel davon wird zurückgehalten, um das Training vorzeitig zu beenden: nach PATIENCE Epochen ohne besseren Verlust auf diesen Stichproben oder nach EPOCHS.
Gerät (DEVICE): auto (CUDA-GPU, wenn vorhanden), cpu oder cuda.
Modalfilter (MODAL_FILTER): Radius in Pixeln eines Mehrheitsfilters auf dem Ergebnis, der Einzelpixel entfernt; 0 = aus.
Validierung (VALIDATION, optional): wahre Klassen (ein Klassenraster oder Polygone mit ihrer Klasse in VALIDATION_FIELD), an denen die grobe und die verfeinerte Karte gemessen werden.
Verfeinerte Klassifikation (OUTPUT): GeoTIFF auf dem Gitter von INPUT, uint8, 0 = NoData, Farben aus COARSE (die sieben Klassen von SEE_ICE, wenn COARSE keine Farbtabelle hat: 1 offenes Wasser, 2 Eisbergwasser, 3 Mélange, 4 Gletschereis, 5 Schnee auf Eis, 6 Schnee auf Fels, 7 Fels).
Metriken (OUTPUT_METRICS, optional): CSV mit Präzision, Sensitivität, F1 und Anzahl pro Klasse, dazu Genauigkeit, Makro- und gewichtete Mittel, für die grobe und die verfeinerte Karte gegenüber VALIDATION (ohne VALIDATION: das verfeinerte Modell gegenüber den zurückgehaltenen Stichproben).
Bericht (REPORT): HTML-Seite mit Bild, Validierungslabels, grober und verfeinerter Karte nebeneinander (jeweils mit ihrem gewichteten F1 im Titel), den Metriken und der Trainingskurve.
Zahlenausgaben: WEIGHTED_F1 der verfeinerten Karte und COARSE_WEIGHTED_F1 der groben Karte (mit VALIDATION).</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="95"/>
        <source>Input raster</source>
        <translation>Eingaberaster</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="96"/>
        <source>The image to classify; all its bands are used.</source>
        <translation>Das zu klassifizierende Bild; alle seine Bänder werden verwendet.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="99"/>
        <source>Coarse classification (class raster or polygons)</source>
        <translation>Grobe Klassifikation (Klassenraster oder Polygone)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="102"/>
        <source>Class raster (0 = unknown) or polygons with CLASS_FIELD.</source>
        <translation>Klassenraster (0 = unbekannt) oder Polygone mit CLASS_FIELD.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="105"/>
        <source>Class field (polygon coarse classification)</source>
        <translation>Klassenfeld (grobe Klassifikation als Polygone)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="107"/>
        <source>Field holding each polygon&apos;s class.</source>
        <translation>Feld mit der Klasse jedes Polygons.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="110"/>
        <source>Patch size (pixels)</source>
        <translation>Fenstergröße (Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="112"/>
        <source>1 = MLP on the pixel&apos;s bands; 3, 5, 7, 15 = CNN on the centred window.</source>
        <translation>1 = MLP auf den Bändern des Pixels; 3, 5, 7, 15 = CNN auf dem zentrierten Fenster.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="115"/>
        <source>Training samples per class</source>
        <translation>Trainingsstichproben pro Klasse</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="116"/>
        <source>Pixels drawn at random from each class of the coarse map.</source>
        <translation>Zufällig aus jeder Klasse der groben Karte gezogene Pixel.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="119"/>
        <source>Modal filter radius (pixels; 0 = off)</source>
        <translation>Radius des Modalfilters (Pixel; 0 = aus)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="120"/>
        <source>Majority filter on the result.</source>
        <translation>Mehrheitsfilter auf dem Ergebnis.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="123"/>
        <source>Validation classes (class raster or polygons)</source>
        <translation>Validierungsklassen (Klassenraster oder Polygone)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="126"/>
        <source>True classes to measure the coarse and refined maps against.</source>
        <translation>Wahre Klassen, an denen die grobe und die verfeinerte Karte gemessen werden.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="129"/>
        <source>Class field (polygon validation)</source>
        <translation>Klassenfeld (Validierung als Polygone)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="131"/>
        <source>Field holding each validation polygon&apos;s class.</source>
        <translation>Feld mit der Klasse jedes Validierungspolygons.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="134"/>
        <source>Epochs (at most)</source>
        <translation>Epochen (höchstens)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="135"/>
        <source>Passes over the training samples.</source>
        <translation>Durchläufe über die Trainingsstichproben.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="138"/>
        <source>Patience (epochs; 0 = never stop early)</source>
        <translation>Geduld (Epochen; 0 = nie vorzeitig beenden)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="139"/>
        <source>Stop after this many epochs without a better held-out loss.</source>
        <translation>Nach so vielen Epochen ohne besseren Verlust auf den zurückgehaltenen Stichproben beenden.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="142"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="144"/>
        <source>auto (CUDA when available, else CPU), cpu or cuda.</source>
        <translation>auto (CUDA, wenn vorhanden, sonst CPU), cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="151"/>
        <source>Refined classification</source>
        <translation>Verfeinerte Klassifikation</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="152"/>
        <source>GeoTIFF, uint8: 0 = NoData, with a colour table.</source>
        <translation>GeoTIFF, uint8: 0 = NoData, mit Farbtabelle.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="155"/>
        <source>Metrics per class</source>
        <translation>Metriken pro Klasse</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="155"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="157"/>
        <source>Precision, recall, F1 and support per class.</source>
        <translation>Präzision, Sensitivität, F1 und Anzahl pro Klasse.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="160"/>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="160"/>
        <source>HTML files (*.html)</source>
        <translation>HTML-Dateien (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="162"/>
        <source>HTML report: maps side by side, metrics, training curve.</source>
        <translation>HTML-Bericht: Karten nebeneinander, Metriken, Trainingskurve.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="167"/>
        <source>Weighted F1 of the refined map</source>
        <translation>Gewichteter F1 der verfeinerten Karte</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="168"/>
        <source>Weighted F1 of the coarse map</source>
        <translation>Gewichteter F1 der groben Karte</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="196"/>
        <source>Coarse classification: {0}.</source>
        <translation>Grobe Klassifikation: {0}.</translation>
    </message>
    <message>
        <location filename="../algorithms/csc_refine.py" line="199"/>
        <source>Weighted F1 ({0}): {1}.</source>
        <translation>Gewichteter F1 ({0}): {1}.</translation>
    </message>
</context>
<context>
    <name>EvaluateFronts</name>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="43"/>
        <source>Evaluate Fronts</source>
        <translation>Fronten bewerten</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="44"/>
        <source>Calving fronts</source>
        <translation>Kalbungsfronten</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="47"/>
        <source>glacier,calving front,terminus,error,accuracy,distance,validation,caffe,mde</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Fehler,Genauigkeit,Abstand,Validierung,CaFFe,MDE</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="99"/>
        <source>Predicted fronts</source>
        <translation>Vorhergesagte Fronten</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="102"/>
        <source>Line layer of predicted fronts.</source>
        <translation>Linienlayer der vorhergesagten Fronten.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="105"/>
        <source>Reference fronts</source>
        <translation>Referenzfronten</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="108"/>
        <source>Line layer of reference (manual) fronts.</source>
        <translation>Linienlayer der (manuell kartierten) Referenzfronten.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="111"/>
        <source>Raster to measure on</source>
        <translation>Raster, auf dem gemessen wird</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="112"/>
        <source>Measure on this raster&apos;s pixel grid.</source>
        <translation>Auf dem Pixelraster dieses Rasters messen.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="115"/>
        <source>Pair fronts by</source>
        <translation>Fronten zuordnen nach</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="116"/>
        <source>auto, date, source, order or all.</source>
        <translation>auto, date, source, order oder all.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="119"/>
        <source>Pairing field (empty = date / source)</source>
        <translation>Zuordnungsfeld (leer = Datum / Quelle)</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="123"/>
        <source>Field of both layers to pair fronts by.</source>
        <translation>Feld beider Layer, nach dem Fronten zugeordnet werden.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="126"/>
        <source>Cell size without RASTER (CRS units)</source>
        <translation>Zellgröße ohne RASTER (KBS-Einheiten)</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="127"/>
        <source>Grid cell size when no RASTER is given.</source>
        <translation>Zellgröße des Rasters, wenn kein RASTER angegeben ist.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="136"/>
        <source>Errors per image</source>
        <translation>Fehler pro Bild</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="136"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="138"/>
        <source>CSV, one row per image.</source>
        <translation>CSV, eine Zeile pro Bild.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="141"/>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="141"/>
        <source>HTML files (*.html)</source>
        <translation>HTML-Dateien (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="144"/>
        <source>HTML report: summary, histogram, worst fronts.</source>
        <translation>HTML-Bericht: Zusammenfassung, Histogramm, schlechteste Fronten.</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="147"/>
        <source>Mean distance</source>
        <translation>Mittlerer Abstand</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="147"/>
        <source>Mean of per-image mean distances</source>
        <translation>Mittel der mittleren Abstände pro Bild</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="147"/>
        <source>Median distance</source>
        <translation>Median des Abstands</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="147"/>
        <source>Images without a predicted front</source>
        <translation>Bilder ohne vorhergesagte Front</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="147"/>
        <source>Images evaluated</source>
        <translation>Bewertete Bilder</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="155"/>
        <source>Distance units</source>
        <translation>Abstandseinheit</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="172"/>
        <source>PREDICTED has no field {0} to pair by (MATCH_FIELD).</source>
        <translation>PREDICTED hat kein Feld {0} zum Zuordnen (MATCH_FIELD).</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="69"/>
        <source>Measures how far predicted calving fronts are from reference (manual) fronts, as the CaFFe benchmark does: both fronts are rasterised on a pixel grid, and the distance from every predicted front pixel to the nearest reference pixel and from every reference pixel to the nearest predicted one are measured, in metres (pixels for layers without CRS).
Predicted fronts (PREDICTED) and reference fronts (REFERENCE): line layers, for example from Extract Calving Front and from manual digitising. REFERENCE is reprojected to the CRS the fronts are measured in (RASTER&apos;s, else PREDICTED&apos;s).
Raster (RASTER, optional): measure on this raster&apos;s pixel grid; it is also drawn under the worst fronts in the report.
Cell size (CELL_SIZE): without RASTER, the grid&apos;s cell size in the layers&apos; CRS units (layers without CRS: 0 means 1 pixel).
Pixel size (PIXEL_SIZE, optional): metres per pixel of fronts (and RASTER) without CRS, for errors in metres.
Pairing (MATCH): how fronts of the same image are paired: auto (by date when every front has one, else by source file name, else one to one, else all as one image), date, source, order (the n-th predicted with the n-th reference feature) or all (everything is one image). Several lines of one image are measured together.
Pairing field (MATCH_FIELD, optional): the field to pair by instead of date / source.
Errors per image (OUTPUT): CSV with the mean, median and maximum of the symmetric distances, both one-sided means, the lengths of both fronts and a status (ok, no prediction, no reference).
Report (OUTPUT_HTML, optional): HTML page with the summary, the error histogram in 10 m bins and the worst fronts drawn over RASTER.
Numeric outputs for models: MEAN_DISTANCE (mean over all distances), MEAN_OF_IMAGE_MEANS, MEDIAN_DISTANCE, MISSING_PREDICTIONS (images whose reference has no predicted front: counted, not averaged), EVALUATED (images measured) and UNITS (m or px).</source>
        <translation>Misst, wie weit vorhergesagte Kalbungsfronten von (manuell kartierten) Referenzfronten entfernt sind, wie es der CaFFe-Benchmark tut: Beide Fronten werden auf ein Pixelgitter gerastert, und gemessen werden die Abstände von jedem vorhergesagten Frontpixel zum nächsten Referenzpixel und von jedem Referenzpixel zum nächsten vorhergesagten, in Metern (in Pixeln bei Layern ohne KBS).
Vorhergesagte Fronten (PREDICTED) und Referenzfronten (REFERENCE): Linienlayer, zum Beispiel aus „Kalbungsfront extrahieren“ und aus manueller Digitalisierung. REFERENCE wird in das KBS umprojiziert, in dem gemessen wird (das von RASTER, sonst das von PREDICTED).
Raster (RASTER, optional): auf dem Pixelgitter dieses Rasters messen; es wird im Bericht auch unter die schlechtesten Fronten gezeichnet.
Zellgröße (CELL_SIZE): ohne RASTER die Zellgröße des Gitters in KBS-Einheiten der Layer (Layer ohne KBS: 0 bedeutet 1 Pixel).
Pixelgröße (PIXEL_SIZE, optional): Meter pro Pixel von Fronten (und RASTER) ohne KBS, für Fehler in Metern.
Zuordnung (MATCH): wie Fronten desselben Bildes einander zugeordnet werden: auto (nach Datum, wenn jede Front eines hat, sonst nach Quelldateiname, sonst eins zu eins, sonst alles als ein Bild), date, source, order (das n-te vorhergesagte mit dem n-ten Referenzobjekt) oder all (alles ist ein Bild). Mehrere Linien eines Bildes werden zusammen gemessen.
Zuordnungsfeld (MATCH_FIELD, optional): das Feld, nach dem statt Datum / Quelle zugeordnet wird.
Fehler pro Bild (OUTPUT): CSV mit Mittel, Median und Maximum der symmetrischen Abstände, beiden einseitigen Mitteln, den Längen beider Fronten und einem Status (ok, no prediction, no reference).
Bericht (OUTPUT_HTML, optional): HTML-Seite mit der Zusammenfassung, dem Fehlerhistogramm in 10-m-Klassen und den schlechtesten Fronten über RASTER.
Zahlenausgaben für Modelle: MEAN_DISTANCE (Mittel über alle Abstände), MEAN_OF_IMAGE_MEANS, MEDIAN_DISTANCE, MISSING_PREDICTIONS (Bilder, deren Referenz keine vorhergesagte Front hat: gezählt, nicht gemittelt), EVALUATED (gemessene Bilder) und UNITS (m oder px).</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="131"/>
        <source>Pixel size of fronts without CRS (m; empty = pixels)</source>
        <translation>Pixelgröße von Fronten ohne KBS (m; leer = Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/evaluate_fronts.py" line="133"/>
        <source>Metres per pixel of fronts from a PNG: errors in metres.</source>
        <translation>Meter pro Pixel von Fronten aus einem PNG: Fehler in Metern.</translation>
    </message>
</context>
<context>
    <name>ExportTrainingTiles</name>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="31"/>
        <source>Export Training Tiles</source>
        <translation>Trainingskacheln exportieren</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="32"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="35"/>
        <source>glacier,calving front,terminus,training,tiles,chips,labels,dataset,deep learning</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Training,Kacheln,Bildausschnitte,Labels,Datensatz,Deep Learning</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="52"/>
        <source>Cuts a satellite raster and its labels into square tiles (image chips and label chips) for Train Terminus Model, and describes them in dataset.json: classes with pixel counts, per-band statistics (used to normalise the bands), tile size, cell size and the source image and group of every tile. Running it again into the same folder adds tiles of more scenes; all runs into one folder must use the same bands, tile size and cell size.
Input raster (INPUT): a raster file GDAL can read with the bands the model will use. NoData stays NoData in the chips and is ignored in training.
Labels (LABELS): one of three kinds. A class raster (whole numbers, 0 or NoData = unlabelled; class names are taken from the raster&apos;s class_N tags when present), read on the input&apos;s grid; a polygon layer whose CLASS_FIELD holds each polygon&apos;s class (numbers 1..255 are kept, names are numbered 1, 2, ... in sorted order; outside the polygons is unlabelled); or a line layer of calving fronts, burnt LINE_WIDTH pixels wide as class 2 &apos;front&apos; on class 1 &apos;background&apos;. Vector labels are reprojected to the raster&apos;s CRS.
Class field (CLASS_FIELD): the polygon layer&apos;s field with the class (polygon labels only).
Line width (LINE_WIDTH): width in tile pixels of rasterised front lines (line labels only).
Tile size (TILE_SIZE): tile side in pixels, a multiple of 32. A raster smaller than a tile along a side gives tiles padded with NoData (a warning says so); training ignores the padding, as Classify Pixels pads such rasters.
Stride (STRIDE): pixels from one tile to the next; less than TILE_SIZE makes overlapping tiles, 0 means half the tile size. The last row and column of tiles end at the raster&apos;s edge, so the whole raster is covered.
Cell size (CELL_SIZE): cell size of the tiles in metres; 0 keeps the raster&apos;s own. Other values resample on the fly (bilinear for the image, nearest for labels). Rasters without a CRS work in pixel units and need 0.
Minimum labelled fraction (MIN_LABELED): tiles with a smaller fraction of labelled pixels are skipped.
Group (GROUP): a name such as the glacier, so that training can hold out a whole group for validation. Empty: the Landsat path/row or Sentinel-2 tile in the file name, else the file name.
Output folder (OUTPUT): a new or empty folder, or an existing tile dataset to add to. It gets images/ and labels/ (GeoTIFF chips) and dataset.json. A failed or cancelled run leaves the folder as it was.
Tiles written (TILES): the number of tiles this run added.</source>
        <translation>Zerlegt ein Satellitenraster und seine Labels in quadratische Kacheln (Bild- und Label-Ausschnitte) für „Terminusmodell trainieren“ und beschreibt sie in dataset.json: Klassen mit Pixelanzahlen, Statistiken pro Band (zum Normalisieren der Bänder), Kachelgröße, Zellgröße sowie Quellbild und Gruppe jeder Kachel. Ein weiterer Lauf in denselben Ordner fügt Kacheln weiterer Szenen hinzu; alle Läufe in einen Ordner müssen dieselben Bänder, dieselbe Kachelgröße und dieselbe Zellgröße verwenden.
Eingaberaster (INPUT): eine Rasterdatei, die GDAL lesen kann, mit den Bändern, die das Modell verwenden wird. NoData bleibt in den Ausschnitten NoData und wird im Training ignoriert.
Labels (LABELS): eine von drei Arten. Ein Klassenraster (ganze Zahlen, 0 oder NoData = ungelabelt; Klassennamen kommen aus den class_N-Tags des Rasters, wenn vorhanden), gelesen auf dem Gitter der Eingabe; ein Polygonlayer, dessen CLASS_FIELD die Klasse jedes Polygons enthält (Zahlen 1..255 bleiben erhalten, Namen werden in sortierter Reihenfolge mit 1, 2, … nummeriert; außerhalb der Polygone ist ungelabelt); oder ein Linienlayer mit Kalbungsfronten, LINE_WIDTH Pixel breit als Klasse 2 „front“ auf Klasse 1 „background“ eingebrannt. Vektorlabels werden in das KBS des Rasters umprojiziert.
Klassenfeld (CLASS_FIELD): das Feld des Polygonlayers mit der Klasse (nur Polygon-Labels).
Linienbreite (LINE_WIDTH): Breite gerasterter Frontlinien in Kachelpixeln (nur Linien-Labels).
Kachelgröße (TILE_SIZE): Kachelseite in Pixeln, ein Vielfaches von 32. Ein Raster, das entlang einer Seite kleiner als eine Kachel ist, ergibt mit NoData aufgefüllte Kacheln (eine Warnung sagt es); das Training ignoriert die Auffüllung, so wie „Pixel klassifizieren“ solche Raster auffüllt.
Schrittweite (STRIDE): Pixel von einer Kachel zur nächsten; weniger als TILE_SIZE ergibt überlappende Kacheln, 0 bedeutet die halbe Kachelgröße. Die letzte Kachelzeile und -spalte enden am Rand des Rasters, sodass das ganze Raster abgedeckt ist.
Zellgröße (CELL_SIZE): Zellgröße der Kacheln in Metern; 0 behält die des Rasters. Andere Werte rechnen beim Lesen um (bilinear für das Bild, nächster Nachbar für die Labels). Raster ohne KBS arbeiten in Pixeleinheiten und brauchen 0.
Minimaler gelabelter Anteil (MIN_LABELED): Kacheln mit einem kleineren Anteil gelabelter Pixel werden übersprungen.
Gruppe (GROUP): ein Name wie der des Gletschers, damit das Training eine ganze Gruppe zur Validierung zurückhalten kann. Leer: Landsat-Path/Row oder Sentinel-2-Kachel im Dateinamen, sonst der Dateiname.
Ausgabeordner (OUTPUT): ein neuer oder leerer Ordner oder ein bestehender Kacheldatensatz, der ergänzt wird. Er erhält images/ und labels/ (GeoTIFF-Ausschnitte) und dataset.json. Ein fehlgeschlagener oder abgebrochener Lauf lässt den Ordner, wie er war.
Geschriebene Kacheln (TILES): die Anzahl der Kacheln, die dieser Lauf hinzugefügt hat.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="90"/>
        <source>Input raster</source>
        <translation>Eingaberaster</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="91"/>
        <source>Raster to cut into image chips.</source>
        <translation>Raster, das in Bildausschnitte zerlegt wird.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="94"/>
        <source>Labels (class raster, class polygons or front lines)</source>
        <translation>Labels (Klassenraster, Klassenpolygone oder Frontlinien)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="97"/>
        <source>A class raster, a polygon layer with CLASS_FIELD, or a line layer of fronts.</source>
        <translation>Ein Klassenraster, ein Polygonlayer mit CLASS_FIELD oder ein Linienlayer mit Fronten.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="100"/>
        <source>Class field (polygon labels)</source>
        <translation>Klassenfeld (Polygon-Labels)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="102"/>
        <source>Field holding each polygon&apos;s class.</source>
        <translation>Feld mit der Klasse jedes Polygons.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="105"/>
        <source>Line width (pixels, front lines)</source>
        <translation>Linienbreite (Pixel, Frontlinien)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="106"/>
        <source>Width of the burnt front lines in tile pixels.</source>
        <translation>Breite der eingebrannten Frontlinien in Kachelpixeln.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="109"/>
        <source>Tile size (pixels, a multiple of 32)</source>
        <translation>Kachelgröße (Pixel, ein Vielfaches von 32)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="110"/>
        <source>Tile side in pixels.</source>
        <translation>Kachelseite in Pixeln.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="113"/>
        <source>Stride (pixels; 0 = half the tile size)</source>
        <translation>Schrittweite (Pixel; 0 = halbe Kachelgröße)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="114"/>
        <source>Pixels from one tile to the next.</source>
        <translation>Pixel von einer Kachel zur nächsten.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="117"/>
        <source>Cell size (metres; 0 = the raster&apos;s)</source>
        <translation>Zellgröße (Meter; 0 = die des Rasters)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="118"/>
        <source>Cell size of the tiles; 0 keeps the raster&apos;s own.</source>
        <translation>Zellgröße der Kacheln; 0 behält die des Rasters.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="121"/>
        <source>Minimum labelled fraction of a tile</source>
        <translation>Minimaler gelabelter Anteil einer Kachel</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="122"/>
        <source>Skip tiles with less of their pixels labelled.</source>
        <translation>Kacheln mit weniger gelabelten Pixeln überspringen.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="125"/>
        <source>Group (e.g. the glacier; empty = from the file name)</source>
        <translation>Gruppe (z. B. der Gletscher; leer = aus dem Dateinamen)</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="127"/>
        <source>Validation group of these tiles.</source>
        <translation>Validierungsgruppe dieser Kacheln.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="130"/>
        <source>Tile dataset folder</source>
        <translation>Ordner des Kacheldatensatzes</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="131"/>
        <source>New or empty folder, or an existing tile dataset to add to.</source>
        <translation>Neuer oder leerer Ordner oder ein bestehender Kacheldatensatz, der ergänzt wird.</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="136"/>
        <source>Tiles written</source>
        <translation>Geschriebene Kacheln</translation>
    </message>
    <message>
        <location filename="../algorithms/export_training_tiles.py" line="159"/>
        <source>Labels: {0}.</source>
        <translation>Labels: {0}.</translation>
    </message>
</context>
<context>
    <name>ExtractCalvingFront</name>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="37"/>
        <source>{0} must list class values like 1,2 (not {1}).</source>
        <translation>{0} muss Klassenwerte wie 1,2 auflisten (nicht {1}).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="49"/>
        <source>Extract Calving Front</source>
        <translation>Kalbungsfront extrahieren</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="259"/>
        <source>Calving fronts</source>
        <translation>Kalbungsfronten</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="53"/>
        <source>glacier,calving front,terminus,front,line,skeleton,active contour,caffe,boundary,vectorize</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Front,Linie,Skelett,aktive Kontur,CaFFe,Grenze,vektorisieren</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="156"/>
        <source>Class or probability raster</source>
        <translation>Klassen- oder Wahrscheinlichkeitsraster</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="157"/>
        <source>Class raster (0 = NoData) or per-class probabilities.</source>
        <translation>Klassenraster (0 = NoData) oder Wahrscheinlichkeiten pro Klasse.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="160"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="165"/>
        <source>Class probabilities</source>
        <translation>Klassenwahrscheinlichkeiten</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="166"/>
        <source>Probability raster on INPUT&apos;s grid: mean probability along each line.</source>
        <translation>Wahrscheinlichkeitsraster auf dem Gitter von INPUT: mittlere Wahrscheinlichkeit entlang jeder Linie.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="169"/>
        <source>Model package (folder with model.json)</source>
        <translation>Modellpaket (Ordner mit model.json)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="173"/>
        <source>The model the raster came from: which classes are ocean, glacier and front.</source>
        <translation>Das Modell, aus dem das Raster stammt: welche Klassen Ozean, Gletscher und Front sind.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="176"/>
        <source>Ocean classes (e.g. 1,2,3; empty = from the model)</source>
        <translation>Ozeanklassen (z. B. 1,2,3; leer = aus dem Modell)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="176"/>
        <source>Glacier classes (e.g. 4,5; empty = from the model)</source>
        <translation>Gletscherklassen (z. B. 4,5; leer = aus dem Modell)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="181"/>
        <source>Class values separated by commas.</source>
        <translation>Klassenwerte, durch Kommas getrennt.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="184"/>
        <source>Front class (empty = from the model)</source>
        <translation>Frontklasse (leer = aus dem Modell)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="185"/>
        <source>Class value of the front (front_class method).</source>
        <translation>Klassenwert der Front (Methode front_class).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="188"/>
        <source>Minimum length (m; empty = 10 cells)</source>
        <translation>Mindestlänge (m; leer = 10 Zellen)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="189"/>
        <source>Drop pieces shorter than this (pixels for a raster without CRS).</source>
        <translation>Kürzere Stücke verwerfen (Pixel bei einem Raster ohne KBS).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="192"/>
        <source>Smoothing (pixels; 0 = none)</source>
        <translation>Glättung (Pixel; 0 = keine)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="193"/>
        <source>Gaussian smoothing along the line.</source>
        <translation>Gauß-Glättung entlang der Linie.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="196"/>
        <source>Simplify tolerance (m; empty = half a cell, 0 = none)</source>
        <translation>Vereinfachungstoleranz (m; leer = halbe Zelle, 0 = keine)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="198"/>
        <source>Douglas-Peucker tolerance.</source>
        <translation>Douglas-Peucker-Toleranz.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="201"/>
        <source>Mask polygons (fronts only inside)</source>
        <translation>Maskenpolygone (Fronten nur innerhalb)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="205"/>
        <source>Fronts only inside these polygons; another CRS is reprojected.</source>
        <translation>Fronten nur innerhalb dieser Polygone; ein anderes KBS wird umprojiziert.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="225"/>
        <source>Acquisition date (YYYY-MM-DD; empty = from the file name)</source>
        <translation>Aufnahmedatum (JJJJ-MM-TT; leer = aus dem Dateinamen)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="228"/>
        <source>Written to the date attribute.</source>
        <translation>Wird in das Attribut date geschrieben.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="231"/>
        <source>Front probability threshold</source>
        <translation>Schwellenwert der Frontwahrscheinlichkeit</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="232"/>
        <source>Probability from which a pixel is front (probability input).</source>
        <translation>Wahrscheinlichkeit, ab der ein Pixel Front ist (Wahrscheinlichkeitseingabe).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="243"/>
        <source>Join distance (m; empty = 10 cells)</source>
        <translation>Verbindungsabstand (m; leer = 10 Zellen)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="244"/>
        <source>front_class: join pieces that line up across gaps up to this.</source>
        <translation>front_class: fluchtende Stücke über Lücken bis zu diesem Abstand verbinden.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="247"/>
        <source>Active contour iterations</source>
        <translation>Iterationen der aktiven Kontur</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="248"/>
        <source>active_contour: iterations of the morphological geodesic active contour.</source>
        <translation>active_contour: Iterationen der morphologischen geodätischen aktiven Kontur.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="251"/>
        <source>Ocean buffer (pixels)</source>
        <translation>Ozeanpuffer (Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="252"/>
        <source>active_contour: keep the outline within this distance of the ocean.</source>
        <translation>active_contour: den Umriss nur in diesem Abstand zum Ozean behalten.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="262"/>
        <source>GeoPackage line layer in the raster&apos;s CRS.</source>
        <translation>GeoPackage-Linienlayer im KBS des Rasters.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="265"/>
        <source>Number of front lines</source>
        <translation>Anzahl der Frontlinien</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="266"/>
        <source>Total front length</source>
        <translation>Gesamtlänge der Fronten</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="277"/>
        <source>MODEL: {0} is not a model package (no model.json).</source>
        <translation>MODEL: {0} ist kein Modellpaket (keine model.json).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="292"/>
        <source>OUTPUT must be a GeoPackage file (.gpkg).</source>
        <translation>OUTPUT muss eine GeoPackage-Datei (.gpkg) sein.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="325"/>
        <source>{0} front line(s), {1:.1f} {2} in all ({3}).</source>
        <translation>{0} Frontlinie(n), insgesamt {1:.1f} {2} ({3}).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="235"/>
        <source>Grow threshold (empty = no growing)</source>
        <translation>Wachstumsschwelle (leer = kein Wachstum)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="236"/>
        <source>front_class: grow the front through connected pixels with at least this probability.</source>
        <translation>front_class: die Front durch verbundene Pixel mit mindestens dieser Wahrscheinlichkeit wachsen lassen.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="240"/>
        <source>all pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it.</source>
        <translation>alle Stücke, oder main: die längste Linie und die Stücke innerhalb von JOIN_DISTANCE um sie.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="208"/>
        <source>Fjord walls (two lines, for between_walls)</source>
        <translation>Fjordwände (zwei Linien, für between_walls)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="212"/>
        <source>One line along each side of the fjord; another CRS is reprojected.</source>
        <translation>Eine Linie entlang jeder Seite des Fjords; ein anderes KBS wird umprojiziert.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="215"/>
        <source>Minimum mean front probability (empty = keep all)</source>
        <translation>Mindest-Mittelwert der Frontwahrscheinlichkeit (leer = alle behalten)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="217"/>
        <source>Drop lines whose mean front probability is below this.</source>
        <translation>Linien verwerfen, deren mittlere Frontwahrscheinlichkeit darunter liegt.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="239"/>
        <source>Keep (empty = the model&apos;s route, else all)</source>
        <translation>Behalten (leer = der Weg des Modells, sonst all)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="220"/>
        <source>Pixel size of a raster without CRS (m; empty = pixels)</source>
        <translation>Pixelgröße eines Rasters ohne KBS (m; leer = Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="222"/>
        <source>Metres per pixel of a PNG: lengths in metres.</source>
        <translation>Meter pro Pixel eines PNG: Längen in Metern.</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="85"/>
        <source>Turns a classified raster (from Classify Pixels or CSC Refine) into calving-front lines in the raster&apos;s CRS.
Input raster (INPUT): a class raster (integer values, 0 = NoData) or a probability raster (float, one band per class, as Classify Pixels writes).
Method (METHOD): auto uses between_walls when WALLS are given; else the route the model chose in its validation (recorded in its model.json, read from MODEL or from the class raster Classify Pixels wrote), with that route&apos;s KEEP, GROW_THRESHOLD, MIN_MEAN_PROB and MIN_LENGTH for those left empty (the last three only with PROBABILITIES); else front_class when a front class is known and zone_boundary otherwise. front_class: pixels of the front class (or with a front probability of at least THRESHOLD) are thinned to a skeleton, the longest path through each piece is kept and pieces that line up are joined. zone_boundary (the CaFFe benchmark&apos;s definition): the front is where ocean pixels touch glacier pixels, after keeping the largest ocean area and filling its holes (icebergs), so rock and NoData never make a front; the line runs along the pixel edges. active_contour (SEE_ICE): the glacier outline is smoothed by a morphological geodesic active contour and kept where it lies next to the ocean. between_walls (FrontLearning&apos;s post-processing): the front is the least-cost path through the front probability from one fjord wall (WALLS) to the other, so it reaches both walls even where the network is unsure of the front near them. between_rock: the same path, from the rock on one side of the fjord to the rock on the other, the walls taken from the model&apos;s rock class (the two largest pieces of rock near the front class; the front class&apos;s own line where there are not two), for zone models such as the shipped SAR model. supported_boundary: the zone boundary kept where the front class supports it (the edges within JOIN_DISTANCE of the front class, grown by GROW_THRESHOLD), the whole zone boundary where no front pixel is that near.
Class probabilities (PROBABILITIES, optional): a probability raster on INPUT&apos;s grid; each line gets the mean probability along it (mean_prob).
Model package (MODEL, optional): the model the raster came from; its classes say which are ocean, glacier and front. Without it the class names stored in the raster are used.
Ocean classes (OCEAN_CLASSES), glacier classes (GLACIER_CLASSES), front class (FRONT_CLASS): class values, e.g. 1,2,3; leave empty for the model&apos;s or the raster&apos;s.
Probability threshold (THRESHOLD): front probability from which a pixel counts as front.
Grow threshold (GROW_THRESHOLD, optional): front_class grows the front through the connected pixels whose front probability is at least this (hysteresis), so a front the network is less sure of towards the fjord walls is followed without taking weak pieces elsewhere; needs front probabilities (PROBABILITIES or a probability INPUT). Empty for no growing.
Keep (KEEP): all front pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it (one glacier per raster; drops iceberg and melange edges away from the front); empty for the model&apos;s route, else all.
Minimum length (MIN_LENGTH): pieces shorter than this are dropped, in metres (pixels for a raster without CRS); empty for 10 cells.
Smoothing (SMOOTHING): Gaussian smoothing along the line, in pixels; 0 for none.
Simplify tolerance (SIMPLIFY): Douglas-Peucker tolerance in metres (pixels without CRS); empty for half a cell, 0 for none.
Join distance (JOIN_DISTANCE): front_class joins pieces that line up across gaps up to this, and supported_boundary keeps the zone boundary this near the front class, in metres; empty for 10 cells.
Iterations (ITERATIONS) and ocean buffer (BUFFER, pixels): active_contour&apos;s settings.
Mask (MASK, optional): fronts only inside these polygons (e.g. the fjord); polygons in another CRS are reprojected.
Fjord walls (WALLS, optional): a line layer with two lines, one along each side of the fjord (drawn once per glacier, reused for every scene); between_walls joins them across the fjord. Needs front probabilities (PROBABILITIES or a probability INPUT).
Minimum mean probability (MIN_MEAN_PROB, optional): lines whose mean front probability is below this are dropped, e.g. 0.2 so that a scene where the network saw no front (cloud, dark) gives no line rather than a path forced between the walls; empty to keep all.
Pixel size (PIXEL_SIZE, optional): metres per pixel of a raster without CRS (a PNG), so that MIN_LENGTH, SIMPLIFY, JOIN_DISTANCE and length_m are in metres; the front still lies where QGIS draws the raster (x = column, y = -row).
Date (DATE, optional): acquisition date YYYY-MM-DD; empty to read it from the file name (Landsat and Sentinel names such as LC08_L1TP_020007_20140801_..., S2A_MSIL1C_2019...).
Calving fronts (OUTPUT): GeoPackage line layer with source, date, length_m, method, length_px and mean_prob. A raster without any front gives an empty layer and a warning.
Numeric outputs: FRONT_COUNT (lines written) and TOTAL_LENGTH (their length together, in metres, or pixels without CRS).</source>
        <translation>Wandelt ein klassifiziertes Raster (aus „Pixel klassifizieren“ oder „CSC-Verfeinerung“) in Kalbungsfrontlinien im KBS des Rasters um.
Eingaberaster (INPUT): ein Klassenraster (ganzzahlige Werte, 0 = NoData) oder ein Wahrscheinlichkeitsraster (Gleitkomma, ein Band pro Klasse, wie „Pixel klassifizieren“ es schreibt).
Methode (METHOD): auto verwendet between_walls, wenn WALLS angegeben sind; sonst den Weg, den das Modell in seiner Validierung gewählt hat (in seiner model.json festgehalten, gelesen aus MODEL oder aus dem Klassenraster, das „Pixel klassifizieren“ geschrieben hat), mit KEEP, GROW_THRESHOLD, MIN_MEAN_PROB und MIN_LENGTH dieses Wegs für die leer gelassenen (die letzten drei nur mit PROBABILITIES); sonst front_class, wenn eine Frontklasse bekannt ist, und sonst zone_boundary. front_class: Pixel der Frontklasse (oder mit einer Frontwahrscheinlichkeit von mindestens THRESHOLD) werden zu einem Skelett verdünnt, der längste Pfad durch jedes Stück wird behalten und fluchtende Stücke werden verbunden. zone_boundary (die Definition des CaFFe-Benchmarks): Die Front liegt dort, wo Ozeanpixel an Gletscherpixel grenzen, nachdem die größte Ozeanfläche behalten und ihre Löcher (Eisberge) gefüllt wurden, sodass Fels und NoData nie eine Front bilden; die Linie verläuft entlang der Pixelkanten. active_contour (SEE_ICE): Der Gletscherumriss wird durch eine morphologische geodätische aktive Kontur geglättet und dort behalten, wo er am Ozean liegt. between_walls (die Nachbearbeitung von FrontLearning): Die Front ist der Pfad geringster Kosten durch die Frontwahrscheinlichkeit von einer Fjordwand (WALLS) zur anderen, sodass sie beide Wände erreicht, auch wo sich das Netz der Front nahe den Wänden unsicher ist. between_rock: derselbe Pfad, vom Fels auf der einen Seite des Fjords zum Fels auf der anderen, die Wände aus der Felsklasse des Modells genommen (die zwei größten Felsstücke nahe der Frontklasse; die eigene Linie der Frontklasse, wo es keine zwei gibt), für Zonenmodelle wie das mitgelieferte SAR-Modell. supported_boundary: die Zonengrenze, behalten, wo die Frontklasse sie stützt (die Kanten innerhalb von JOIN_DISTANCE der Frontklasse, gewachsen mit GROW_THRESHOLD), die ganze Zonengrenze, wo kein Frontpixel so nahe liegt.
Klassenwahrscheinlichkeiten (PROBABILITIES, optional): ein Wahrscheinlichkeitsraster auf dem Gitter von INPUT; jede Linie erhält die mittlere Wahrscheinlichkeit entlang der Linie (mean_prob).
Modellpaket (MODEL, optional): das Modell, aus dem das Raster stammt; seine Klassen sagen, welche Ozean, Gletscher und Front sind. Ohne es werden die im Raster gespeicherten Klassennamen verwendet.
Ozeanklassen (OCEAN_CLASSES), Gletscherklassen (GLACIER_CLASSES), Frontklasse (FRONT_CLASS): Klassenwerte, z. B. 1,2,3; leer für die des Modells oder des Rasters.
Schwellenwert (THRESHOLD): Frontwahrscheinlichkeit, ab der ein Pixel als Front gilt.
Wachstumsschwelle (GROW_THRESHOLD, optional): front_class lässt die Front durch die verbundenen Pixel wachsen, deren Frontwahrscheinlichkeit mindestens diesen Wert hat (Hysterese), sodass eine Front, deren sich das Netz zu den Fjordwänden hin weniger sicher ist, verfolgt wird, ohne schwache Stücke anderswo aufzunehmen; braucht Frontwahrscheinlichkeiten (PROBABILITIES oder eine Wahrscheinlichkeitseingabe). Leer für kein Wachstum.
Behalten (KEEP): alle Frontstücke, oder main: die längste Linie und die Stücke innerhalb von JOIN_DISTANCE um sie (ein Gletscher pro Raster; verwirft Kanten von Eisbergen und Mélange abseits der Front); leer für den Weg des Modells, sonst all.
Mindestlänge (MIN_LENGTH): kürzere Stücke werden verworfen, in Metern (Pixeln bei einem Raster ohne KBS); leer für 10 Zellen.
Glättung (SMOOTHING): Gauß-Glättung entlang der Linie, in Pixeln; 0 für keine.
Vereinfachungstoleranz (SIMPLIFY): Douglas-Peucker-Toleranz in Metern (Pixeln ohne KBS); leer für eine halbe Zelle, 0 für keine.
Verbindungsabstand (JOIN_DISTANCE): front_class verbindet fluchtende Stücke über Lücken bis zu diesem Abstand, und supported_boundary behält die Zonengrenze so nahe an der Frontklasse, in Metern; leer für 10 Zellen.
Iterationen (ITERATIONS) und Ozeanpuffer (BUFFER, Pixel): die Einstellungen von active_contour.
Maske (MASK, optional): Fronten nur innerhalb dieser Polygone (z. B. des Fjords); Polygone in einem anderen KBS werden umprojiziert.
Fjordwände (WALLS, optional): ein Linienlayer mit zwei Linien, je eine entlang jeder Seite des Fjords (einmal pro Gletscher gezeichnet, für jede Szene wiederverwendet); between_walls verbindet sie quer über den Fjord. Braucht Frontwahrscheinlichkeiten (PROBABILITIES oder eine Wahrscheinlichkeitseingabe).
Mindestwahrscheinlichkeit im Mittel (MIN_MEAN_PROB, optional): Linien, deren mittlere Frontwahrscheinlichkeit darunter liegt, werden verworfen, z. B. 0.2, damit eine Szene, in der das Netz keine Front sah (Wolken, Dunkelheit), keine Linie ergibt statt eines zwischen die Wände gezwungenen Pfads; leer, um alle zu behalten.
Pixelgröße (PIXEL_SIZE, optional): Meter pro Pixel eines Rasters ohne KBS (eines PNG), damit MIN_LENGTH, SIMPLIFY, JOIN_DISTANCE und length_m in Metern sind; die Front liegt weiter dort, wo QGIS das Raster zeichnet (x = Spalte, y = -Zeile).
Datum (DATE, optional): Aufnahmedatum JJJJ-MM-TT; leer, um es aus dem Dateinamen zu lesen (Landsat- und Sentinel-Namen wie LC08_L1TP_020007_20140801_…, S2A_MSIL1C_2019…).
Kalbungsfronten (OUTPUT): GeoPackage-Linienlayer mit source, date, length_m, method, length_px und mean_prob. Ein Raster ohne jede Front ergibt einen leeren Layer und eine Warnung.
Zahlenausgaben: FRONT_COUNT (geschriebene Linien) und TOTAL_LENGTH (ihre Gesamtlänge in Metern, ohne KBS in Pixeln).</translation>
    </message>
    <message>
        <location filename="../algorithms/extract_calving_front.py" line="161"/>
        <source>auto, front_class, zone_boundary, active_contour, between_walls, between_rock or supported_boundary.</source>
        <translation>auto, front_class, zone_boundary, active_contour, between_walls, between_rock oder supported_boundary.</translation>
    </message>
</context>
<context>
    <name>GlacierTerminusAlgorithm</name>
    <message>
        <location filename="../algorithms/base.py" line="296"/>
        <source>a class raster, a polygon layer or a line layer</source>
        <translation>ein Klassenraster, ein Polygonlayer oder ein Linienlayer</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="296"/>
        <source>a class raster or a polygon layer</source>
        <translation>ein Klassenraster oder ein Polygonlayer</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="301"/>
        <source>{0}: {1} is not a layer QGIS can read.</source>
        <translation>{0}: {1} ist kein Layer, den QGIS lesen kann.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="310"/>
        <source>{0} is required with polygon {1}: the field that holds each polygon&apos;s class.</source>
        <translation>{0} ist bei Polygonen als {1} nötig: das Feld mit der Klasse jedes Polygons.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="320"/>
        <source>{0} must be {1}.</source>
        <translation>{0} muss {1} sein.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="130"/>
        <source>Test-time augmentation (flips)</source>
        <translation>Testzeit-Augmentierung (Spiegelungen)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="130"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="130"/>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="130"/>
        <source>the model&apos;s recorded setting</source>
        <translation>die im Modell festgehaltene Einstellung</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="135"/>
        <source>Average the classification of flipped tiles (slower, often cleaner); by default as the model&apos;s validation did.</source>
        <translation>Die Klassifikation gespiegelter Kacheln mitteln (langsamer, oft sauberer); standardmäßig wie in der Validierung des Modells.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="155"/>
        <source>MODEL: folder {0} does not exist.</source>
        <translation>MODEL: Der Ordner {0} existiert nicht.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="155"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="159"/>
        <source>MODEL: folder {0} has no {1}; a model package holds {2}.</source>
        <translation>MODEL: Der Ordner {0} enthält keine {1}; ein Modellpaket enthält {2}.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="182"/>
        <source>From {0} to {1}.</source>
        <translation>Von {0} bis {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="184"/>
        <source>At least {0}.</source>
        <translation>Mindestens {0}.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="186"/>
        <source>At most {0}.</source>
        <translation>Höchstens {0}.</translation>
    </message>
</context>
<context>
    <name>MapCalvingFronts</name>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="40"/>
        <source>Map Calving Fronts</source>
        <translation>Kalbungsfronten kartieren</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="209"/>
        <source>Calving fronts</source>
        <translation>Kalbungsfronten</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="44"/>
        <source>glacier,calving front,terminus,stack,time series,batch,retreat,landsat,sentinel</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Stapel,Zeitreihe,Stapelverarbeitung,Rückzug,Landsat,Sentinel</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="228"/>
        <source>Scenes</source>
        <translation>Szenen</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="111"/>
        <source>The rasters of the stack, one per date.</source>
        <translation>Die Raster des Stapels, eines pro Datum.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="114"/>
        <source>Model package (folder with model.json; empty = the shipped model below)</source>
        <translation>Modellpaket (Ordner mit model.json; leer = das mitgelieferte Modell unten)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="117"/>
        <source>Folder with model.json and weights.safetensors; empty for the shipped model.</source>
        <translation>Ordner mit model.json und weights.safetensors; leer für das mitgelieferte Modell.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="120"/>
        <source>Shipped model (when MODEL is empty)</source>
        <translation>Mitgeliefertes Modell (wenn MODEL leer ist)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="121"/>
        <source>optical_fronts: grey optical scenes, the front as a line; sar_zones: SAR amplitude scenes, zones and the front.</source>
        <translation>optical_fronts: graue optische Szenen, die Front als Linie; sar_zones: SAR-Amplitudenszenen, Zonen und die Front.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="125"/>
        <source>Bands (e.g. 1; empty = all)</source>
        <translation>Bänder (z. B. 1; leer = alle)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="126"/>
        <source>Band numbers of each scene to classify, in the model&apos;s band order.</source>
        <translation>Bandnummern jeder Szene, die klassifiziert werden, in der Bandreihenfolge des Modells.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="131"/>
        <source>Glacier flows towards</source>
        <translation>Gletscher fließt nach</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="132"/>
        <source>Which way the glacier flows in the scenes: tiles are turned so that it flows as in the model&apos;s training scenes.</source>
        <translation>In welche Richtung der Gletscher in den Szenen fließt: Kacheln werden so gedreht, dass er wie in den Trainingsszenen des Modells fließt.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="136"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="141"/>
        <source>Pixel size of scenes without CRS (m; empty = pixels)</source>
        <translation>Pixelgröße von Szenen ohne KBS (m; leer = Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="143"/>
        <source>Metres per pixel of PNG scenes: lengths and positions in metres.</source>
        <translation>Meter pro Pixel von PNG-Szenen: Längen und Positionen in Metern.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="146"/>
        <source>Mask polygons (fronts only inside)</source>
        <translation>Maskenpolygone (Fronten nur innerhalb)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="149"/>
        <source>Fronts only inside these polygons; another CRS is reprojected.</source>
        <translation>Fronten nur innerhalb dieser Polygone; ein anderes KBS wird umprojiziert.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="152"/>
        <source>Fjord walls (two lines, for between_walls)</source>
        <translation>Fjordwände (zwei Linien, für between_walls)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="155"/>
        <source>One line along each side of the fjord; another CRS is reprojected.</source>
        <translation>Eine Linie entlang jeder Seite des Fjords; ein anderes KBS wird umprojiziert.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="158"/>
        <source>Box polygon or centreline (terminus series)</source>
        <translation>Box-Polygon oder Mittellinie (Terminus-Zeitreihe)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="161"/>
        <source>One box polygon along the fjord (box method) or one centreline.</source>
        <translation>Ein Box-Polygon entlang des Fjords (Box-Methode) oder eine Mittellinie.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="169"/>
        <source>Reverse direction (upstream is the other end)</source>
        <translation>Richtung umkehren (oben ist das andere Ende)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="171"/>
        <source>Use the box end far from the first vertex, or the centreline&apos;s last vertex, as upstream.</source>
        <translation>Das vom ersten Stützpunkt entfernte Box-Ende oder den letzten Stützpunkt der Mittellinie als oberes Ende verwenden.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="174"/>
        <source>Keep (empty = the model&apos;s route, else all)</source>
        <translation>Behalten (leer = Weg des Modells, sonst alle)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="175"/>
        <source>all pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it.</source>
        <translation>alle Stücke, oder main: die längste Linie und die Stücke innerhalb von JOIN_DISTANCE zu ihr.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Grow threshold (empty = the model&apos;s route)</source>
        <translation>Wachstumsschwelle (leer = Weg des Modells)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>front_class: grow the front through connected pixels with at least this probability.</source>
        <translation>front_class: die Front durch verbundene Pixel mit mindestens dieser Wahrscheinlichkeit wachsen lassen.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Minimum length (m; empty = the model&apos;s route, else 10 cells)</source>
        <translation>Mindestlänge (m; leer = Weg des Modells, sonst 10 Zellen)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Drop pieces shorter than this.</source>
        <translation>Stücke verwerfen, die kürzer sind.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Minimum mean front probability (empty = the model&apos;s route)</source>
        <translation>Mindestwert der mittleren Frontwahrscheinlichkeit (leer = Weg des Modells)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Drop lines whose mean front probability is below this.</source>
        <translation>Linien verwerfen, deren mittlere Frontwahrscheinlichkeit darunter liegt.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="201"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="202"/>
        <source>auto (CUDA when available, else CPU), cpu or cuda.</source>
        <translation>auto (CUDA, wenn verfügbar, sonst CPU), cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="211"/>
        <source>GeoPackage: one feature per scene, in date order.</source>
        <translation>GeoPackage: ein Objekt pro Szene, nach Datum geordnet.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="214"/>
        <source>Class rasters (folder)</source>
        <translation>Klassenraster (Ordner)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="216"/>
        <source>Keeps each scene&apos;s class and probability rasters.</source>
        <translation>Behält die Klassen- und Wahrscheinlichkeitsraster jeder Szene.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>Terminus positions</source>
        <translation>Terminuspositionen</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>Terminus plot</source>
        <translation>Terminus-Diagramm</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>PNG files (*.png)</source>
        <translation>PNG-Dateien (*.png)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>Terminus report</source>
        <translation>Terminus-Bericht</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="219"/>
        <source>HTML files (*.html)</source>
        <translation>HTML-Dateien (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="225"/>
        <source>With a box or centreline.</source>
        <translation>Mit einer Box oder Mittellinie.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="229"/>
        <source>Scenes with a front</source>
        <translation>Szenen mit einer Front</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="230"/>
        <source>Scenes that failed</source>
        <translation>Gescheiterte Szenen</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="249"/>
        <source>INPUTS holds no raster.</source>
        <translation>INPUTS enthält kein Raster.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="253"/>
        <source>OUTPUT must be a GeoPackage file (.gpkg).</source>
        <translation>OUTPUT muss eine GeoPackage-Datei (.gpkg) sein.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="79"/>
        <source>Maps the calving front in every scene of a stack and, with a box or centreline, the terminus position through time: Classify Pixels and Extract Calving Front on each scene, in one run.
Scenes (INPUTS): the rasters of the stack, one per date. The date of each comes from its file name (Landsat, Sentinel, CaFFe names, or any YYYY-MM-DD / YYYYMMDD in it).
Model (MODEL, SHIPPED_MODEL), bands (BANDS, e.g. 1 for a grey image stored as RGB), test-time augmentation (TTA), glacier flow (FLOW): as in Classify Pixels. Method (METHOD), keep (KEEP), grow threshold, minimum length and minimum mean probability, mask and fjord walls: as in Extract Calving Front. Left empty, each takes the setting the model&apos;s validation chose (model.json), so the defaults are the measured recipe.
Pixel size (PIXEL_SIZE): metres per pixel of scenes without CRS (PNG), so that lengths and terminus positions are in metres. Such scenes lie where QGIS draws them (x = column, y = -row).
Box or centreline (REFERENCE, optional): the terminus series as in Terminus Change, written to OUTPUT_TABLE (CSV), OUTPUT_PLOT (PNG) and OUTPUT_HTML (the plot, a map of the fronts coloured by date and the table). Reference fronts (REFERENCE_FRONTS, optional): dated manual fronts, whose terminus positions go beside the mapped ones.
Calving fronts (OUTPUT): a GeoPackage with one feature per scene: source, date, status (front, no front or failed), method, length, mean probability and a message for scenes without a front. A scene that fails is reported and left out, not the end of the run. Finished scenes are recorded beside OUTPUT in &lt;name&gt;.scenes/: run again into the same OUTPUT (after a cancel, a crash, or with new scenes added) and only the scenes not yet mapped are done.
Class rasters (RASTERS, optional): a folder that keeps each scene&apos;s class and probability rasters.
For archives beyond one machine, the engine command map_fronts takes --shard K/N (one share of the stack per job of a job array) and merge_fronts joins the shares&apos; outputs; see the user guide.
Numeric outputs: SCENES (scenes in the run), FRONTS (scenes with a front) and FAILED (scenes that failed).</source>
        <translation>Kartiert die Kalbungsfront in jeder Szene eines Stapels und, mit einer Box oder Mittellinie, die Terminusposition über die Zeit: Pixel klassifizieren und Kalbungsfront extrahieren für jede Szene, in einem Lauf.
Szenen (INPUTS): die Raster des Stapels, eines pro Datum. Das Datum jeder Szene kommt aus ihrem Dateinamen (Landsat-, Sentinel-, CaFFe-Namen oder ein JJJJ-MM-TT / JJJJMMTT darin).
Modell (MODEL, SHIPPED_MODEL), Bänder (BANDS, z. B. 1 für ein als RGB gespeichertes Graubild), Testzeit-Augmentierung (TTA), Fließrichtung (FLOW): wie in „Pixel klassifizieren“. Methode (METHOD), Behalten (KEEP), Wachstumsschwelle, Mindestlänge und mittlere Mindestwahrscheinlichkeit, Maske und Fjordwände: wie in „Kalbungsfront extrahieren“. Leer gelassen nimmt jede die Einstellung, die die Validierung des Modells gewählt hat (model.json), so dass die Standards das gemessene Rezept sind.
Pixelgröße (PIXEL_SIZE): Meter pro Pixel von Szenen ohne KBS (PNG), damit Längen und Terminuspositionen in Metern sind. Solche Szenen liegen, wo QGIS sie zeichnet (x = Spalte, y = -Zeile).
Box oder Mittellinie (REFERENCE, optional): die Terminus-Zeitreihe wie in „Terminusänderung“, geschrieben nach OUTPUT_TABLE (CSV), OUTPUT_PLOT (PNG) und OUTPUT_HTML (das Diagramm, eine Karte der nach Datum gefärbten Fronten und die Tabelle). Referenzfronten (REFERENCE_FRONTS, optional): datierte manuelle Fronten, deren Terminuspositionen neben den kartierten stehen.
Kalbungsfronten (OUTPUT): ein GeoPackage mit einem Objekt pro Szene: source, date, status (front, no front oder failed), method, Länge, mittlere Wahrscheinlichkeit und eine Meldung für Szenen ohne Front. Eine Szene, die scheitert, wird gemeldet und ausgelassen, statt den Lauf zu beenden. Fertige Szenen werden neben OUTPUT in &lt;Name&gt;.scenes/ festgehalten: erneut in dasselbe OUTPUT gestartet (nach einem Abbruch, einem Absturz oder mit neu hinzugefügten Szenen) werden nur die noch nicht kartierten Szenen bearbeitet.
Klassenraster (RASTERS, optional): ein Ordner, der die Klassen- und Wahrscheinlichkeitsraster jeder Szene behält.
Für Archive über eine Maschine hinaus nimmt der Engine-Befehl map_fronts --shard K/N (ein Anteil des Stapels pro Job eines Job-Arrays), und merge_fronts fügt die Ausgaben der Anteile zusammen; siehe das Benutzerhandbuch.
Numerische Ausgaben: SCENES (Szenen des Laufs), FRONTS (Szenen mit einer Front) und FAILED (gescheiterte Szenen).</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="164"/>
        <source>Reference (manual) fronts</source>
        <translation>Referenzfronten (manuell)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="166"/>
        <source>Dated manual fronts: their terminus positions beside the mapped ones.</source>
        <translation>Datierte manuelle Fronten: ihre Terminuspositionen neben den kartierten.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="240"/>
        <source>{0} has no date field (its fields: {1}).</source>
        <translation>{0} hat kein Datumsfeld (seine Felder: {1}).</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="240"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Padding (pixels; empty = the model&apos;s default)</source>
        <translation>Überlappung (Pixel; leer = Voreinstellung des Modells)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="178"/>
        <source>Context on each tile side in model pixels; empty for the model&apos;s default.</source>
        <translation>Kontext an jeder Kachelseite in Modellpixeln; leer für die Voreinstellung des Modells.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="192"/>
        <source>Largest tile (pixels; 0 = the device&apos;s)</source>
        <translation>Größte Kachel (Pixel; 0 = die des Geräts)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="193"/>
        <source>The largest tile side in model pixels; a model normalised tile by tile runs its training tile.</source>
        <translation>Die größte Kachelseite in Modellpixeln; ein Modell, das Kachel für Kachel normalisiert, rechnet seine Trainingskachel.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="197"/>
        <source>Batch size (training tiles per pass)</source>
        <translation>Stapelgröße (Trainingskacheln pro Durchlauf)</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="198"/>
        <source>Training tiles&apos; worth of pixels per forward pass; lower it if memory runs out.</source>
        <translation>So viele Pixel wie Trainingskacheln pro Durchlauf; verringern, wenn der Speicher nicht reicht.</translation>
    </message>
    <message>
        <location filename="../algorithms/map_calving_fronts.py" line="137"/>
        <source>auto, front_class, zone_boundary, active_contour, between_walls, between_rock or supported_boundary.</source>
        <translation>auto, front_class, zone_boundary, active_contour, between_walls, between_rock oder supported_boundary.</translation>
    </message>
</context>
<context>
    <name>TerminusChange</name>
    <message>
        <location filename="../algorithms/terminus_change.py" line="31"/>
        <source>Terminus Change</source>
        <translation>Terminusveränderung</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="32"/>
        <source>Calving fronts</source>
        <translation>Kalbungsfronten</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="35"/>
        <source>glacier,calving front,terminus,retreat,advance,box method,centreline,time series</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Rückzug,Vorstoß,Box-Methode,Mittellinie,Zeitreihe</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="87"/>
        <source>Dated fronts</source>
        <translation>Datierte Fronten</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="89"/>
        <source>Front lines with an acquisition date field.</source>
        <translation>Frontlinien mit einem Feld für das Aufnahmedatum.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="92"/>
        <source>Date field</source>
        <translation>Datumsfeld</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="98"/>
        <source>Field holding each front&apos;s acquisition date.</source>
        <translation>Feld mit dem Aufnahmedatum jeder Front.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="101"/>
        <source>Box polygon or centreline</source>
        <translation>Box-Polygon oder Mittellinie</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="105"/>
        <source>One box polygon along the fjord (box method) or one centreline.</source>
        <translation>Ein Box-Polygon entlang des Fjords (Box-Methode) oder eine Mittellinie.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="108"/>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="109"/>
        <source>auto (from REFERENCE&apos;s geometry), box or centreline.</source>
        <translation>auto (aus der Geometrie von REFERENCE), box oder centreline.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="112"/>
        <source>Reverse direction (upstream is the other end)</source>
        <translation>Richtung umkehren (stromaufwärts ist das andere Ende)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="114"/>
        <source>Use the box end far from the first vertex, or the centreline&apos;s last vertex, as upstream.</source>
        <translation>Das vom ersten Stützpunkt entfernte Box-Ende bzw. den letzten Stützpunkt der Mittellinie als stromaufwärts verwenden.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="127"/>
        <source>Terminus positions</source>
        <translation>Terminuspositionen</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="127"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="129"/>
        <source>CSV: date, position, change, rate per year.</source>
        <translation>CSV: Datum, Position, Veränderung, Rate pro Jahr.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="132"/>
        <source>Plot</source>
        <translation>Diagramm</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="132"/>
        <source>PNG files (*.png)</source>
        <translation>PNG-Dateien (*.png)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="135"/>
        <source>PNG plot of the terminus position through time.</source>
        <translation>PNG-Diagramm der Terminusposition über die Zeit.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="138"/>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="138"/>
        <source>HTML files (*.html)</source>
        <translation>HTML-Dateien (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="141"/>
        <source>HTML page with the plot and the table.</source>
        <translation>HTML-Seite mit Diagramm und Tabelle.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="144"/>
        <source>Dates with a position</source>
        <translation>Daten mit einer Position</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="145"/>
        <source>Total change (last - first)</source>
        <translation>Gesamtveränderung (letzte − erste)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="154"/>
        <source>FRONTS and REFERENCE are in geographic CRSs ({0}): terminus positions need a projected CRS; reproject FRONTS first.</source>
        <translation>FRONTS und REFERENCE liegen in geographischen KBS ({0}): Terminuspositionen brauchen ein projiziertes KBS; FRONTS zuerst umprojizieren.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="166"/>
        <source>FRONTS has no date field {0} (its fields: {1}); set DATE_FIELD to the field holding each front&apos;s acquisition date.</source>
        <translation>FRONTS hat kein Datumsfeld {0} (Felder: {1}); DATE_FIELD auf das Feld mit dem Aufnahmedatum jeder Front setzen.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="188"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="172"/>
        <source>REFERENCE must be a box polygon or a centreline.</source>
        <translation>REFERENCE muss ein Box-Polygon oder eine Mittellinie sein.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="117"/>
        <source>Reference (manual) fronts</source>
        <translation>Referenzfronten (manuell)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="119"/>
        <source>Dated manual fronts: their positions beside the fronts&apos;.</source>
        <translation>Datierte manuelle Fronten: ihre Positionen neben denen der Fronten.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="122"/>
        <source>Pixel size of fronts without CRS (m; empty = pixels)</source>
        <translation>Pixelgröße von Fronten ohne KBS (m; leer = Pixel)</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="124"/>
        <source>Metres per pixel of fronts from PNG scenes: positions in metres.</source>
        <translation>Meter pro Pixel von Fronten aus PNG-Szenen: Positionen in Metern.</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="188"/>
        <source>REFERENCE_FRONTS has no date field {0} (its fields: {1}).</source>
        <translation>REFERENCE_FRONTS hat kein Datumsfeld {0} (seine Felder: {1}).</translation>
    </message>
    <message>
        <location filename="../algorithms/terminus_change.py" line="54"/>
        <source>Measures the terminus position of a glacier through time from dated calving fronts.
Fronts (FRONTS): a line layer with one or more lines per date (e.g. Extract Calving Front outputs merged together); lines of the same date are measured together.
Date field (DATE_FIELD): the field holding each front&apos;s acquisition date (a date, or text YYYY-MM-DD); fronts without a readable date are left out with a warning, and a layer without this field is refused.
Box or centreline (REFERENCE): one polygon or one line. A polygon is a box drawn along the fjord, its long side along flow: the terminus position is the area of the box between its upstream end and the front, divided by the box&apos;s width (the box method). A line is a centreline: the position is the distance along it from its upstream end to where the front first crosses it. REFERENCE in another CRS is reprojected.
Method (METHOD): auto (from REFERENCE&apos;s geometry), box or centreline.
Reverse direction (REVERSE): by default the upstream end is the box end nearest the first vertex drawn, or the centreline&apos;s first vertex; tick to use the other end.
Terminus positions (OUTPUT): CSV with date, decimal_year, position_m (distance from the upstream end; larger is farther down-fjord), change_m since the previous date (negative = retreat), rate_m_per_yr, the number of lines and the share of the box the front crosses. Layers without CRS give pixel units (_px).
Reference fronts (REFERENCE_FRONTS, optional): dated manual fronts, measured the same way: their positions and the differences go into the table, both series into the plot with a legend, the mean differences into the report.
Pixel size (PIXEL_SIZE, optional): metres per pixel of fronts without CRS (from PNG scenes), for positions in metres.
Plot (OUTPUT_PLOT, optional): PNG of the position through time, with a legend; a gap between scenes longer than a year and three times their usual spacing is left open. Report (OUTPUT_HTML, optional): HTML page with the plot, a map of the fronts coloured by date and the table.
Numeric outputs: MEASURED (dates with a position) and TOTAL_CHANGE (last minus first position).</source>
        <translation>Misst die Terminusposition eines Gletschers über die Zeit aus datierten Kalbungsfronten.
Fronten (FRONTS): ein Linienlayer mit einer oder mehreren Linien pro Datum (z. B. zusammengeführte Ausgaben von „Kalbungsfront extrahieren“); Linien desselben Datums werden zusammen gemessen.
Datumsfeld (DATE_FIELD): das Feld mit dem Aufnahmedatum jeder Front (ein Datum oder Text JJJJ-MM-TT); Fronten ohne lesbares Datum werden mit einer Warnung ausgelassen, und ein Layer ohne dieses Feld wird abgelehnt.
Box oder Mittellinie (REFERENCE): ein Polygon oder eine Linie. Ein Polygon ist eine entlang des Fjords gezeichnete Box, die lange Seite in Fließrichtung: Die Terminusposition ist die Fläche der Box zwischen ihrem oberen Ende und der Front, geteilt durch die Breite der Box (die Box-Methode). Eine Linie ist eine Mittellinie: Die Position ist der Abstand entlang der Linie von ihrem oberen Ende bis dorthin, wo die Front sie zuerst kreuzt. REFERENCE in einem anderen KBS wird umprojiziert.
Methode (METHOD): auto (aus der Geometrie von REFERENCE), box oder centreline.
Richtung umkehren (REVERSE): Standardmäßig ist das obere Ende das Box-Ende nahe dem zuerst gezeichneten Stützpunkt bzw. der erste Stützpunkt der Mittellinie; ankreuzen, um das andere Ende zu verwenden.
Terminuspositionen (OUTPUT): CSV mit date, decimal_year, position_m (Abstand vom oberen Ende; größer heißt weiter fjordabwärts), change_m seit dem vorigen Datum (negativ = Rückzug), rate_m_per_yr, der Anzahl der Linien und dem Anteil der Box, den die Front quert. Layer ohne KBS ergeben Pixeleinheiten (_px).
Referenzfronten (REFERENCE_FRONTS, optional): datierte manuelle Fronten, auf dieselbe Weise gemessen: ihre Positionen und die Differenzen kommen in die Tabelle, beide Reihen mit Legende ins Diagramm, die mittleren Differenzen in den Bericht.
Pixelgröße (PIXEL_SIZE, optional): Meter pro Pixel von Fronten ohne KBS (aus PNG-Szenen), für Positionen in Metern.
Diagramm (OUTPUT_PLOT, optional): PNG der Position über die Zeit, mit Legende; eine Lücke zwischen Szenen, die länger als ein Jahr und als das Dreifache ihres üblichen Abstands ist, bleibt offen. Bericht (OUTPUT_HTML, optional): HTML-Seite mit Diagramm, einer Karte der nach Datum gefärbten Fronten und der Tabelle.
Zahlenausgaben: MEASURED (Daten mit einer Position) und TOTAL_CHANGE (letzte minus erste Position).</translation>
    </message>
</context>
<context>
    <name>TrainTerminusModel</name>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="39"/>
        <source>Train Terminus Model</source>
        <translation>Terminusmodell trainieren</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="40"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="43"/>
        <source>glacier,calving front,terminus,training,deep learning,hrnet,model,segmentation</source>
        <translation>Gletscher,Kalbungsfront,Terminus,Training,Deep Learning,HRNet,Modell,Segmentierung</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="135"/>
        <source>Tile datasets (folders or dataset.json)</source>
        <translation>Kacheldatensätze (Ordner oder dataset.json)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="137"/>
        <source>Tile dataset folders made by Export Training Tiles.</source>
        <translation>Mit „Trainingskacheln exportieren“ erzeugte Datensatzordner.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="140"/>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="141"/>
        <source>The segmentation network.</source>
        <translation>Das Segmentierungsnetz.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="149"/>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="149"/>
        <source>Passes over the training tiles.</source>
        <translation>Durchläufe über die Trainingskacheln.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="150"/>
        <source>Batch size (tiles per step)</source>
        <translation>Stapelgröße (Kacheln pro Schritt)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="150"/>
        <source>Tiles per training step.</source>
        <translation>Kacheln pro Trainingsschritt.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="152"/>
        <source>Learning rate (0 = find it)</source>
        <translation>Lernrate (0 = ermitteln)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="153"/>
        <source>Peak learning rate; 0 runs a learning-rate range test.</source>
        <translation>Maximale Lernrate; 0 führt einen Lernraten-Bereichstest aus.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="156"/>
        <source>Validation fraction (of source images)</source>
        <translation>Validierungsanteil (der Quellbilder)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="157"/>
        <source>Share of the source images held out for validation.</source>
        <translation>Anteil der Quellbilder, der zur Validierung zurückgehalten wird.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="160"/>
        <source>Validation groups (comma-separated, e.g. a glacier)</source>
        <translation>Validierungsgruppen (durch Kommas getrennt, z. B. ein Gletscher)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="162"/>
        <source>Hold out these groups instead of a fraction.</source>
        <translation>Diese Gruppen statt eines Anteils zurückhalten.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="165"/>
        <source>Patience (epochs without improvement; 0 = never stop early)</source>
        <translation>Geduld (Epochen ohne Verbesserung; 0 = nie vorzeitig beenden)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="165"/>
        <source>Early stopping after this many epochs without improvement.</source>
        <translation>Vorzeitiges Beenden nach so vielen Epochen ohne Verbesserung.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="168"/>
        <source>Augmentation</source>
        <translation>Augmentierung</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="169"/>
        <source>Random flips, quarter turns, brightness / contrast and speckle.</source>
        <translation>Zufällige Spiegelungen, Vierteldrehungen, Helligkeit / Kontrast und Speckle.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="181"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="183"/>
        <source>auto (CUDA when available, else CPU), cpu or cuda.</source>
        <translation>auto (CUDA, wenn vorhanden, sonst CPU), cpu oder cuda.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="186"/>
        <source>Initial weights (.safetensors)</source>
        <translation>Anfangsgewichte (.safetensors)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="188"/>
        <source>Weights to start from; matching layers are taken.</source>
        <translation>Gewichte als Ausgangspunkt; passende Schichten werden übernommen.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="191"/>
        <source>Resume an interrupted run from its checkpoint</source>
        <translation>Einen unterbrochenen Lauf am Checkpoint fortsetzen</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="193"/>
        <source>Continue from &lt;package&gt;.checkpoint.pt with the same settings.</source>
        <translation>Mit denselben Einstellungen ab &lt;Paket&gt;.checkpoint.pt fortfahren.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="197"/>
        <source>Monitor (best epoch, early stopping)</source>
        <translation>Überwachte Größe (beste Epoche, vorzeitiges Beenden)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="198"/>
        <source>Validation loss, mean IoU or mean F1.</source>
        <translation>Validierungsverlust, mittlerer IoU oder mittlerer F1.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="200"/>
        <source>Class weighting of the cross-entropy</source>
        <translation>Klassengewichtung der Kreuzentropie</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="201"/>
        <source>Class weights from pixel counts: sqrt, inverse or none.</source>
        <translation>Klassengewichte aus Pixelanzahlen: sqrt, inverse oder none.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="203"/>
        <source>Dice weight</source>
        <translation>Dice-Gewicht</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="204"/>
        <source>Weight of the Dice term added to the cross-entropy.</source>
        <translation>Gewicht des zur Kreuzentropie addierten Dice-Terms.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="206"/>
        <source>Random seed</source>
        <translation>Zufallsstartwert</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="207"/>
        <source>Seed of the split, initial weights, shuffling and augmentation.</source>
        <translation>Startwert für Aufteilung, Anfangsgewichte, Mischen und Augmentierung.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="213"/>
        <source>Model package</source>
        <translation>Modellpaket</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="214"/>
        <source>Folder with model.json and weights.safetensors.</source>
        <translation>Ordner mit model.json und weights.safetensors.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="217"/>
        <source>Training report</source>
        <translation>Trainingsbericht</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="217"/>
        <source>HTML files (*.html)</source>
        <translation>HTML-Dateien (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="220"/>
        <source>HTML report; empty for report.html in the model package.</source>
        <translation>HTML-Bericht; leer für report.html im Modellpaket.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="225"/>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="226"/>
        <source>Validation mean IoU</source>
        <translation>Mittlerer Validierungs-IoU</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="231"/>
        <source>DATASETS: give at least one tile dataset folder.</source>
        <translation>DATASETS: Mindestens einen Kacheldatensatz-Ordner angeben.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="236"/>
        <source>DATASETS: {0} is not a folder.</source>
        <translation>DATASETS: {0} ist kein Ordner.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="238"/>
        <source>DATASETS: folder {0} has no dataset.json; make a tile dataset with Export Training Tiles.</source>
        <translation>DATASETS: Der Ordner {0} hat keine dataset.json; einen Kacheldatensatz mit „Trainingskacheln exportieren“ erzeugen.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="172"/>
        <source>Input normalisation</source>
        <translation>Eingabenormalisierung</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="177"/>
        <source>Glacier flows towards (in the training rasters)</source>
        <translation>Gletscher fließt nach (in den Trainingsrastern)</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="178"/>
        <source>Which way the glaciers flow in every training raster; empty when they differ.</source>
        <translation>In welche Richtung die Gletscher in jedem Trainingsraster fließen; leer, wenn sie sich unterscheiden.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="173"/>
        <source>dataset: the training tiles&apos; band statistics; tile: each tile&apos;s own; window: those of a tile-sized square around each pixel.</source>
        <translation>dataset: die Bandstatistiken der Trainingskacheln; tile: die jeder Kachel selbst; window: die eines kachelgroßen Quadrats um jedes Pixel.</translation>
    </message>
    <message>
        <location filename="../algorithms/train_terminus_model.py" line="74"/>
        <source>Trains a segmentation network on tile datasets made by Export Training Tiles and writes a model package for Classify Pixels, with an HTML training report. Training runs in the Glacier Terminus engine, a separate Python process; progress is reported per batch and Cancel stops at the next batch. After every epoch a checkpoint is written next to the model package (&lt;package&gt;.checkpoint.pt), so an interrupted run can be continued with RESUME; it is removed when training completes. To train on several GPUs, run the engine on the command line under torchrun: torchrun --nproc_per_node=N -m glacier_terminus.core train --datasets ... --output-model ...
Tile datasets (DATASETS): one or more tile dataset folders (or their dataset.json files). They must share bands, tile size and cell size; their classes are merged by value.
Architecture (ARCHITECTURE): the network ({0}).
Epochs (EPOCHS): passes over the training tiles.
Batch size (BATCH_SIZE): tiles per training step; lower it if memory runs out.
Learning rate (LEARNING_RATE): peak rate of the one-cycle schedule (AdamW). 0 runs a learning-rate range test first (as fastai&apos;s lr_find) and takes the rate at the valley of its loss curve; the curve is in the report.
Validation fraction (VALIDATION): share of the source images held out to validate on. Whole images are held out, never tiles of one image on both sides. 0 trains without validation (the last or lowest-loss epoch is kept).
Validation groups (VALIDATION_GROUPS): comma-separated groups (e.g. a glacier) to hold out instead of a fraction; groups are set when exporting tiles.
Patience (PATIENCE): stop after this many epochs without improvement; 0 never stops early. The package holds the weights of the best epoch.
Augmentation (AUGMENT): random flips, quarter turns, brightness / contrast jitter and SAR-like multiplicative speckle; none selected = no augmentation.
Normalisation (NORMALISATION): how input values are scaled for the network: dataset (each band&apos;s mean and standard deviation over the training tiles), tile (each tile&apos;s own, so that bright, hazy or low-contrast scenes reach the network like the scenes it learnt from) or window (each pixel by the statistics of the tile-sized square around it: like tile, but Classify Pixels can then run large tiles, faster, with a result that does not depend on the tiling). The model package records it and Classify Pixels scales the same way.
Glacier flows towards (FLOW, optional): down, right, up or left, when the glaciers of every training raster flow the same way. The model package records it, and Classify Pixels&apos; FLOW can then turn rasters whose glacier flows another way to match. Leave empty for rasters of mixed orientation (quarter turns in AUGMENT then teach every way).
Device (DEVICE): auto (CUDA GPU when available, else CPU), cpu or cuda. On a GPU, training uses mixed precision. On the command line: DEVICE=cpu.
Initial weights (INIT_WEIGHTS, optional): a .safetensors file (or a model package folder) to start from, e.g. pretrained encoder weights or an earlier model; layers whose names and shapes match are taken, the rest start at random.
Resume (RESUME): continue an interrupted run of the same settings from its checkpoint.
Monitor (MONITOR, advanced): what picks the best epoch and drives early stopping: validation loss, mean IoU or mean F1.
Class weighting (CLASS_WEIGHTING, advanced): cross-entropy class weights from the pixel counts (sqrt: inverse square root of the frequency; inverse; none; front: only the front class lifted by sqrt, the zones left at 1), so thin classes such as fronts are not drowned; a Dice term is added as well.
Dice weight (DICE_WEIGHT, advanced): weight of the Dice term in the loss.
Seed (SEED, advanced): random seed of the split, initial weights, shuffling and augmentation.
Model package (OUTPUT_MODEL): the folder written: model.json (bands with their normalisation, cell size, tile size, classes, validation metrics and history per epoch) and weights.safetensors.
Training report (REPORT, optional): HTML with loss and metric curves, the learning-rate test, a batch of training tiles, ground truth beside prediction on validation tiles and per-class precision, recall, F1, IoU and Dice. Empty: report.html inside the model package.
Best epoch (BEST_EPOCH) and validation mean IoU (MEAN_IOU): numbers for models and scripts.</source>
        <translation>Trainiert ein Segmentierungsnetz auf Kacheldatensätzen aus „Trainingskacheln exportieren“ und schreibt ein Modellpaket für „Pixel klassifizieren“, mit einem HTML-Trainingsbericht. Das Training läuft in der Glacier-Terminus-Engine, einem eigenen Python-Prozess; der Fortschritt wird pro Stapel gemeldet, und Abbrechen hält beim nächsten Stapel an. Nach jeder Epoche wird neben dem Modellpaket ein Checkpoint geschrieben (&lt;Paket&gt;.checkpoint.pt), sodass ein unterbrochener Lauf mit RESUME fortgesetzt werden kann; er wird entfernt, wenn das Training fertig ist. Zum Training auf mehreren GPUs die Engine auf der Befehlszeile unter torchrun starten: torchrun --nproc_per_node=N -m glacier_terminus.core train --datasets ... --output-model ...
Kacheldatensätze (DATASETS): ein oder mehrere Ordner von Kacheldatensätzen (oder ihre dataset.json-Dateien). Sie müssen Bänder, Kachelgröße und Zellgröße teilen; ihre Klassen werden nach Wert zusammengeführt.
Architektur (ARCHITECTURE): das Netz ({0}).
Epochen (EPOCHS): Durchläufe über die Trainingskacheln.
Stapelgröße (BATCH_SIZE): Kacheln pro Trainingsschritt; verringern, wenn der Speicher nicht reicht.
Lernrate (LEARNING_RATE): Höchstwert des One-Cycle-Verlaufs (AdamW). 0 führt zuerst einen Lernraten-Bereichstest aus (wie lr_find von fastai) und nimmt die Rate im Tal seiner Verlustkurve; die Kurve steht im Bericht.
Validierungsanteil (VALIDATION): Anteil der Quellbilder, der zur Validierung zurückgehalten wird. Es werden ganze Bilder zurückgehalten, nie Kacheln eines Bildes auf beiden Seiten. 0 trainiert ohne Validierung (die letzte Epoche bzw. die mit dem niedrigsten Verlust wird behalten).
Validierungsgruppen (VALIDATION_GROUPS): durch Kommas getrennte Gruppen (z. B. ein Gletscher), die statt eines Anteils zurückgehalten werden; Gruppen werden beim Export der Kacheln festgelegt.
Geduld (PATIENCE): nach so vielen Epochen ohne Verbesserung anhalten; 0 hält nie vorzeitig an. Das Paket enthält die Gewichte der besten Epoche.
Augmentierung (AUGMENT): zufällige Spiegelungen, Vierteldrehungen, Helligkeits- / Kontrastschwankungen und SAR-artiges multiplikatives Speckle; keine Auswahl = keine Augmentierung.
Normalisierung (NORMALISATION): wie Eingabewerte für das Netz skaliert werden: dataset (Mittelwert und Standardabweichung jedes Bandes über die Trainingskacheln), tile (die jeder Kachel selbst, sodass helle, dunstige oder kontrastarme Szenen das Netz so erreichen wie die Szenen, aus denen es gelernt hat) oder window (jedes Pixel mit denen des kachelgroßen Quadrats um es herum: wie tile, aber „Pixel klassifizieren“ kann dann große Kacheln rechnen, schneller, mit einem Ergebnis, das nicht von der Kachelung abhängt). Das Modellpaket hält sie fest, und „Pixel klassifizieren“ skaliert ebenso.
Gletscher fließt nach (FLOW, optional): down, right, up oder left, wenn die Gletscher aller Trainingsraster in dieselbe Richtung fließen. Das Modellpaket hält es fest, und FLOW von Classify Pixels kann dann Raster, deren Gletscher anders fließt, passend drehen. Leer lassen für Raster gemischter Ausrichtung (Vierteldrehungen in AUGMENT lehren dann jede Richtung).
Gerät (DEVICE): auto (CUDA-GPU, wenn vorhanden, sonst CPU), cpu oder cuda. Auf einer GPU trainiert es mit gemischter Genauigkeit. Auf der Befehlszeile: DEVICE=cpu.
Anfangsgewichte (INIT_WEIGHTS, optional): eine .safetensors-Datei (oder ein Modellpaket-Ordner) als Ausgangspunkt, z. B. vortrainierte Encoder-Gewichte oder ein früheres Modell; Schichten mit passendem Namen und passender Form werden übernommen, der Rest beginnt zufällig.
Fortsetzen (RESUME): einen unterbrochenen Lauf mit denselben Einstellungen ab seinem Checkpoint fortsetzen.
Überwachte Größe (MONITOR, erweitert): was die beste Epoche bestimmt und das vorzeitige Anhalten steuert: Validierungsverlust, mittlerer IoU oder mittlerer F1.
Klassengewichtung (CLASS_WEIGHTING, erweitert): Klassengewichte der Kreuzentropie aus den Pixelanzahlen (sqrt: inverse Quadratwurzel der Häufigkeit; inverse; none; front: nur die Frontklasse mit sqrt angehoben, die Zonen bei 1), damit dünne Klassen wie Fronten nicht untergehen; zusätzlich wird ein Dice-Term addiert.
Dice-Gewicht (DICE_WEIGHT, erweitert): Gewicht des Dice-Terms im Verlust.
Startwert (SEED, erweitert): Zufallsstartwert für Aufteilung, Anfangsgewichte, Mischen und Augmentierung.
Modellpaket (OUTPUT_MODEL): der geschriebene Ordner: model.json (Bänder mit ihrer Normalisierung, Zellgröße, Kachelgröße, Klassen, Validierungsmetriken und Verlauf pro Epoche) und weights.safetensors.
Trainingsbericht (REPORT, optional): HTML mit Verlust- und Metrikkurven, dem Lernratentest, einem Stapel Trainingskacheln, Referenz neben Vorhersage auf Validierungskacheln und Präzision, Sensitivität, F1, IoU und Dice pro Klasse. Leer: report.html im Modellpaket.
Beste Epoche (BEST_EPOCH) und mittlerer Validierungs-IoU (MEAN_IOU): Zahlen für Modelle und Skripte.</translation>
    </message>
</context>
</TS>
