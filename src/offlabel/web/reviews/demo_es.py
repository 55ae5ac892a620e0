"""Demo content in Spanish: the two LDN reviews as the editors translated them (our own words,
from the English demo text; citations keep their numbers)."""

from __future__ import annotations

ALS_ES = {
    "title": "Naltrexona en dosis bajas para la ELA",
    "plain_summary": """\
Buscamos todo lo que hay sobre la naltrexona en dosis bajas (LDN) para la ELA. Ningún estudio
la ha probado en personas con ELA. Tampoco en animales con una enfermedad parecida.

Algunas personas con ELA que la tomaron dicen que se sentían un poco mejor. La mayoría no notó
nada. No sabemos si fue el fármaco u otra cosa.

En dosis plenas, el fármaco puede dañar el hígado. En dosis bajas, los efectos parecen leves,
pero nadie lo ha estudiado bien.

Por ahora no hay buenas pruebas de que la LDN ayude en la ELA. Si piensa probarla, hable antes
con su médico de ELA y cuéntele qué otros fármacos toma.
""",
    "overview": """\
Personas con ELA pidieron esta revisión. La naltrexona bloquea los receptores opioides mu, delta
y kappa; está aprobada, en dosis plenas, para la dependencia de opioides y de alcohol [1, 4].
Tomada en una pequeña fracción de esa dosis (unos 4,5 mg al día), la «naltrexona en dosis
bajas» se promociona para una larga lista de enfermedades, entre ellas la ELA. El sitio de
divulgación más conocido afirma que una dosis baja refuerza el sistema inmunitario [2], y el
fármaco aparece a menudo en los foros de ELA, con historias buenas y malas [3]. Las
afirmaciones se apoyan en estudios de laboratorio y en experiencias personales; ningún estudio
controlado con placebo en una enfermedad neurológica las respalda.
""",
    "mechanism": """\
Las células inmunitarias tienen receptores opioides, y bloquearlos puede cambiar cómo se
comportan las células NK, los linfocitos T y las citocinas [5, 6], así que un efecto inmunitario
de la naltrexona es plausible. Pequeños estudios abiertos de la LDN en la enfermedad de Crohn
parecían prometedores [7]; en la esclerosis múltiple, un ensayo piloto mejoró la calidad de vida
según la valoraban los propios pacientes, pero no las medidas físicas [8], lo que encaja más con
un efecto de sentirse mejor que con uno que modifique la enfermedad.

La ELA es una enfermedad con muchas causas que contribuyen. Se debate si tiene un componente
inmunitario [9, 10], pero los fármacos que frenan el sistema inmunitario no han ralentizado la
ELA en los ensayos [11–13]. Así que, aunque la LDN suprima la inmunidad, lo que no está
demostrado, sería un camino dudoso hacia un beneficio en la ELA.
""",
    "preclinical": """\
Ningún estudio ha probado la naltrexona en un modelo de ELA. Los antagonistas opioides, sobre
todo la naloxona, protegieron las neuronas tras un traumatismo craneal en ratas [14]. Los
modelos de ictus no coinciden: los antagonistas ayudaron en uno [15], mientras que en otro un
*agonista* opioide protegió las células cerebrales y antagonistas como la naltrexona bloquearon
esa protección [16]. El traumatismo y el ictus no son la ELA, y la dirección dispar deja abierta
la posibilidad de que un antagonista llegue incluso a dañar las motoneuronas.
""",
    "cases": """\
En una comunidad de pacientes en línea, 31 personas con ELA dijeron haber tomado LDN y 15 la
valoraron (contando la valoración más alta de cada persona) [18]: 7 (47 %) no vieron efecto o
no estaban seguras, 3 (20 %) notaron un efecto leve y 4 (27 %), uno moderado. Los beneficios
citados fueron casos aislados: bostezar menos, mejor equilibrio, más energía con menos flemas,
un habla más clara, respirar mejor por la nariz. Ninguno se midió, se cegó ni se comparó con
personas que no tomaban LDN, así que ninguno puede atribuirse al fármaco ni servir para
predecir cómo les iría a otros. Las historias de los foros apuntan en ambas direcciones [3].
""",
    "trials": """\
No se ha publicado ningún ensayo de la naltrexona, en ninguna dosis, en la ELA ni en otra
enfermedad de la motoneurona. El único estudio relacionado dio naloxona, un fármaco de acción
más corta con la misma acción sobre los receptores, a dos personas con ELA en 1983 y no vio
beneficio [17].
""",
    "risks": """\
La ficha técnica enumera náuseas, vómitos, reacciones en el lugar de la inyección, calambres
musculares, mareo o desmayo, somnolencia y pérdida de apetito, y lleva una advertencia
destacada de daño de las células del hígado: la naltrexona no debe usarse con hepatitis aguda
ni insuficiencia hepática [1]. Todo ello se vio con la dosis plena inyectada (380 mg) y puede
ser más raro o más leve con 4,5 mg al día, cuya seguridad no se ha estudiado en la ELA. Miembros
de la comunidad comunicaron sueños vívidos, somnolencia, más espasmos, diarrea, dolor de cabeza,
náuseas y sofocos, una persona cada uno [18].
""",
    "cost": """\
Los miembros de la comunidad dijeron pagar entre 25 y 49 dólares al mes, normalmente por una
fórmula magistral.
""",
    "conclusion": """\
La LDN podría actuar sobre el sistema inmunitario o proteger las neuronas, pero nada muestra
todavía que ninguna de las dos cosas importe en la ELA, y algunos datos en animales apuntan a
que podría dañar. Los informes de pacientes son pocos, incoherentes e imposibles de verificar,
y el único ensayo relacionado no encontró beneficio. El coste es moderado; los efectos
secundarios, incluida la toxicidad hepática en dosis plenas, son posibles. Las pruebas no
respaldan usar la LDN para la ELA ahora; antes tendría que hacerse un estudio farmacológico de su
mecanismo.
""",
}

DM_ES = {
    "title": "Naltrexona en dosis bajas para la mielopatía degenerativa en perros",
    "plain_summary": """\
Buscamos lo que se sabe de la naltrexona en dosis bajas (LDN) para perros con MD. Ningún
estudio la ha probado en perros. Dos veterinarios dicen que, durante muchos años, pareció
frenar la enfermedad en algunos perros durante un tiempo. No llevaron registros que podamos
comprobar, y la MD avanza a un ritmo distinto en cada perro.

Sabemos poco de sus efectos en perros con esta dosis. En personas, una dosis plena puede dañar
el hígado.

Así que nadie puede decir aún si la LDN ayuda a los perros con MD. Si quiere probarla, hágalo
con su veterinario. Anote cada semana cómo camina su perro, antes y durante el tratamiento.
Eso también ayuda al próximo perro.
""",
    "overview": """\
Los dueños de perros con mielopatía degenerativa oyen que la naltrexona en dosis bajas podría
frenar la enfermedad. La idea viene de dos veterinarios que la prescriben desde hace unos veinte
años y describen decenas de perros que parecieron ir mejor durante un tiempo [1]. No prometen
nada. No se ha completado ningún estudio de la naltrexona en perros con MD, el fármaco no está
aprobado para la MD y el manual de fármacos veterinarios de referencia no recoge este uso. En
perros se ha usado para conductas compulsivas como perseguirse la cola o los granulomas por
lamido.
""",
    "mechanism": """\
La MD es una degeneración de la sustancia blanca de la médula espinal, descrita por primera vez
en 1973, y se parece a algunas formas de ELA humana; en ambas interviene la SOD1. Se ha propuesto
una contribución autoinmunitaria en la ELA [6, 7] y, con más cautela, en la MD. Se desconoce en
personas si la LDN cambia la inmunidad lo bastante como para importar [2], y en perros no se ha
estudiado. Todo lo que hay aquí procede de personas, así que para los perros es solo prueba de
modelo.
""",
    "preclinical": """\
No hay estudios de laboratorio ni en modelos animales de la naltrexona en la MD. Las pruebas de
la ELA humana sirven como pruebas de modelo: el único ensayo relacionado en la ELA (naloxona,
dos personas) no encontró beneficio [4]; las valoraciones de una comunidad de ELA en línea fueron
dispares [2]; y una pequeña encuesta noruega de 2022 relacionó el uso de LDN o de vitamina B con
una mejor calidad de vida física según los propios pacientes [3], una correlación que no puede
demostrar causa.
""",
    "cases": """\
La única prueba en perros es la experiencia de los dos veterinarios: decenas de historias
clínicas a lo largo de dos décadas en las que la medicación «ayudó durante un tiempo» [1]. No se
ha publicado, no hay comparación con perros sin tratar y no sabemos cómo se hizo el diagnóstico
ni cómo se midió la marcha. La MD avanza a distinta velocidad en distintos perros, así que es
esperable que algunos parezcan ir más despacio aun sin tratamiento.
""",
    "trials": """\
No se ha hecho ni registrado ningún ensayo de la naltrexona en perros con MD.
""",
    "risks": """\
No se ha medido nada en perros con MD. Los veterinarios que la prescriben empiezan por debajo de
la dosis que da el manual veterinario para los problemas de conducta y la administran por la
noche. En personas, la naltrexona en dosis plenas lleva una advertencia de daño hepático [5]; se
desconoce si ocurre algo parecido en perros con dosis bajas.
""",
    "cost": """\
No se comunicaron cifras de coste para perros. En personas, un mes de LDN costaba entre 25 y 49
dólares según lo comunicado.
""",
    "conclusion": """\
La LDN para la MD se apoya en anécdotas honestas pero no estructuradas de dos veterinarios con
experiencia, más pruebas indirectas, y en su mayoría desalentadoras, de la ELA humana. Puede
probarse con un veterinario que conozca el fármaco, pero nadie puede decir aún si funciona. Los
dueños que la prueben ayudan más si anotan cómo camina su perro antes y durante el tratamiento,
para que la próxima revisión tenga datos en lugar de impresiones.
""",
}
